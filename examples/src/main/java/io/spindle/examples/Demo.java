package io.spindle.examples;

import io.spindle.core.PoolMetrics;
import io.spindle.core.WorkStealingPool;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The README's first command: runs a small workload on a {@link WorkStealingPool} and prints what
 * the pool did, worker by worker.
 *
 * <p>The workload has the three shapes a reactive service gives a scheduler: a flood of tiny
 * tasks from outside the pool (requests arriving), fan-out from inside the pool (a task that
 * spawns subtasks, which stay local and get stolen), and message-passing chains (each task
 * submits the next, which runs from the LIFO slot). The side-by-side demo against Reactor's and
 * RxJava's schedulers arrives with the adapters.
 */
public final class Demo {

    private static final String USAGE = String.join(System.lineSeparator(),
            "Usage: Demo [--tasks N] [--workers N] [--help]",
            "  --tasks N     tasks per phase, 1000..100000000 (default 1000000)",
            "  --workers N   pool workers, 1..32767 (default: available processors)",
            "  --help        print this help");

    private Demo() {}

    /**
     * Runs the demo.
     *
     * @param args see {@code --help}
     * @throws InterruptedException if interrupted while waiting for the workload
     */
    public static void main(String[] args) throws InterruptedException {
        final Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(USAGE);
            return;
        }
        run(options, System.out);
    }

    static void run(Options options, PrintStream out) throws InterruptedException {
        try (WorkStealingPool pool = WorkStealingPool.builder().name("demo").workers(options.workers).build()) {
            out.printf(Locale.ROOT, "Spindle demo: %d workers, %,d tasks per phase, Java %s%n%n",
                    pool.workerCount(), options.tasks, System.getProperty("java.version"));
            phase(out, "external submits", options.tasks, () -> externalFlood(pool, options.tasks));
            phase(out, "fan-out inside the pool", options.tasks, () -> fanOut(pool, options.tasks));
            phase(out, "message-passing chains", options.tasks, () -> chains(pool, options.tasks));
            out.println();
            printMetrics(pool.metrics(), out);
        }
    }

    private interface Phase {
        void run() throws InterruptedException;
    }

    private static void phase(PrintStream out, String name, long tasks, Phase phase) throws InterruptedException {
        final long start = System.nanoTime();
        phase.run();
        final double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "  %-26s %,12.0f tasks/s  (%.3f s)%n", name, tasks / seconds, seconds);
    }

    private static void externalFlood(WorkStealingPool pool, int tasks) throws InterruptedException {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicLong remaining = new AtomicLong(tasks);
        final Runnable task = () -> {
            if (remaining.decrementAndGet() == 0) {
                done.countDown();
            }
        };
        for (int i = 0; i < tasks; i++) {
            pool.execute(task);
        }
        await(done, "external submits");
    }

    private static void fanOut(WorkStealingPool pool, int tasks) throws InterruptedException {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicLong remaining = new AtomicLong(tasks);
        final Runnable leaf = () -> {
            if (remaining.decrementAndGet() == 0) {
                done.countDown();
            }
        };
        final int parents = Math.max(1, tasks / 1000);
        final int perParent = tasks / parents;
        remaining.addAndGet((long) parents * perParent - tasks);
        for (int p = 0; p < parents; p++) {
            pool.execute(() -> {
                for (int i = 0; i < perParent; i++) {
                    pool.execute(leaf);
                }
            });
        }
        await(done, "fan-out");
    }

    private static void chains(WorkStealingPool pool, int tasks) throws InterruptedException {
        final int chains = pool.workerCount() * 4;
        final int length = Math.max(1, tasks / chains);
        final CountDownLatch done = new CountDownLatch(chains);
        for (int c = 0; c < chains; c++) {
            pool.execute(new Runnable() {
                private int left = length;

                @Override
                public void run() {
                    if (--left == 0) {
                        done.countDown();
                    } else {
                        pool.execute(this);
                    }
                }
            });
        }
        await(done, "chains");
    }

    private static void await(CountDownLatch latch, String phase) throws InterruptedException {
        if (!latch.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(phase + " did not finish within 5 minutes");
        }
    }

    private static void printMetrics(PoolMetrics metrics, PrintStream out) {
        out.printf(Locale.ROOT, "Pool metrics: %,d tasks run, %,d submitted from outside, inject queue depth %d%n",
                metrics.totalTasksExecuted(), metrics.remoteScheduleCount(), metrics.injectQueueDepth());
        out.printf(Locale.ROOT, "  %-6s %12s %10s %10s %9s %8s %8s %10s %10s%n",
                "worker", "tasks run", "stolen", "steal ops", "overflow", "parks", "no-op", "busy ms", "mean ns");
        for (int w = 0; w < metrics.workers(); w++) {
            out.printf(Locale.ROOT, "  %-6d %,12d %,10d %,10d %,9d %,8d %,8d %,10d %,10d%n",
                    w, metrics.pollCount(w), metrics.stealCount(w), metrics.stealOperations(w),
                    metrics.overflowCount(w), metrics.parkCount(w), metrics.noopCount(w),
                    metrics.busyDuration(w).toMillis(), metrics.meanTaskTime(w).toNanos());
        }
    }

    /** Parsed command-line options. */
    static final class Options {
        int tasks = 1_000_000;
        int workers = Runtime.getRuntime().availableProcessors();
        boolean help;

        static Options parse(String[] args) {
            final Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                final String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> options.help = true;
                    case "--tasks" -> options.tasks = intValue(args, ++i, "--tasks", 1000, 100_000_000);
                    case "--workers" -> options.workers = intValue(args, ++i, "--workers", 1, WorkStealingPool.MAX_WORKERS);
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
                }
            }
            return options;
        }

        private static int intValue(String[] args, int index, String option, int min, int max) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value in " + min + ".." + max);
            }
            final int value;
            try {
                value = Integer.parseInt(args[index].replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number in " + min + ".." + max + ", was '" + args[index] + "'", e);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(option + " must be in " + min + ".." + max + ", was " + value);
            }
            return value;
        }
    }
}
