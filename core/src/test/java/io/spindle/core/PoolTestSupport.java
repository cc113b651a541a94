package io.spindle.core;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the pool tests share: bounded waits that fail with a message saying what was awaited, a
 * way to see every worker thread of a pool at once, and a registry that stops every pool a test
 * built, pass or fail, so that a failing test cannot leave spinning workers behind to slow down
 * the tests after it.
 *
 * <p>Every wait here is bounded. The bounds are generous (seconds where the behaviour takes
 * microseconds) because the suite runs on loaded two-core CI machines; they exist so that a lost
 * task or a lost wake-up fails the test with a message instead of hanging the build.
 */
final class PoolTestSupport {

    /** The bound for things that take microseconds when the pool works: a task to start, a worker to wake. */
    static final Duration PROMPTLY = Duration.ofSeconds(10);

    private PoolTestSupport() {}

    /** Awaits {@code latch} for at most {@code timeout}, failing with {@code what} and the count left. */
    static void await(CountDownLatch latch, Duration timeout, Supplier<String> what) throws InterruptedException {
        if (!latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            fail("timed out after %s waiting for %s (latch count still %d)", timeout, what.get(), latch.getCount());
        }
    }

    /** Awaits {@code latch} for at most {@link #PROMPTLY}. */
    static void await(CountDownLatch latch, String what) throws InterruptedException {
        await(latch, PROMPTLY, () -> what);
    }

    /**
     * Polls {@code condition} (every 100 µs to 1 ms) until it holds, failing after
     * {@code timeout} with {@code what}.
     */
    static void awaitCondition(BooleanSupplier condition, Duration timeout, Supplier<String> what) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long pauseNanos = 100_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after %s waiting for %s", timeout, what.get());
            }
            TimeUnit.NANOSECONDS.sleep(pauseNanos);
            pauseNanos = Math.min(1_000_000, 2 * pauseNanos);
        }
    }

    /**
     * Waits until every worker of {@code pool} is counted as parked in its idle state. This
     * reads the package-private {@link Idle} word: there is no public "is idle" query, and the
     * tests that need an idle pool (bursts after idleness, a lone task left behind a blocked
     * worker) need exactly this precondition to be meaningful.
     */
    static void awaitAllParked(WorkStealingPool pool) throws InterruptedException {
        awaitUnparked(pool, 0);
    }

    /** Waits until exactly {@code unparked} workers of {@code pool} are counted as awake. */
    static void awaitUnparked(WorkStealingPool pool, int unparked) throws InterruptedException {
        awaitCondition(() -> pool.idle.unparkedNow() == unparked, PROMPTLY,
                () -> unparked + " unparked workers in " + pool);
    }

    /**
     * The pool's worker threads, seen from inside: one task per worker, all waiting on one
     * barrier, which only trips once every worker runs one of them. Needs every worker free.
     */
    static Set<Thread> workerThreads(WorkStealingPool pool) throws Exception {
        final int workers = pool.workerCount();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final CyclicBarrier barrier = new CyclicBarrier(workers);
        final CountDownLatch done = new CountDownLatch(workers);
        final AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < workers; i++) {
            pool.execute(() -> {
                threads.add(Thread.currentThread());
                try {
                    barrier.await(PROMPTLY.toNanos(), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
                done.countDown();
            });
        }
        await(done, Duration.ofSeconds(2 * PROMPTLY.toSeconds()), () -> "one task on each of the " + workers + " workers of " + pool);
        if (failures.get() != 0) {
            fail("only %d of %d workers of %s ran a barrier task concurrently", threads.size(), workers, pool);
        }
        return threads;
    }

    /**
     * The pool and each worker's queues, for failure messages: its {@code toString()} plus, per
     * worker, the local queue's depth and whether its LIFO slot holds a task (package-private
     * state that says where a stranded task is).
     */
    static String describe(WorkStealingPool pool) {
        final StringBuilder description = new StringBuilder(pool.toString());
        for (Worker worker : pool.workers) {
            description.append("\n  ").append(worker)
                    .append(", lifoSlot=").append(worker.peekLifo() == null ? "empty" : "occupied")
                    .append(", thread=").append(worker.thread.getName()).append(' ').append(worker.thread.getState());
        }
        return description.toString();
    }

    /** A thread factory that records every thread it makes and names them {@code <prefix>-<n>}. */
    static final class RecordingThreadFactory implements ThreadFactory {
        final List<Thread> created = new ArrayList<>();
        private final String prefix;
        private final boolean daemon;
        private final Thread.UncaughtExceptionHandler handler;

        RecordingThreadFactory(String prefix, boolean daemon, Thread.UncaughtExceptionHandler handler) {
            this.prefix = prefix;
            this.daemon = daemon;
            this.handler = handler;
        }

        @Override
        public synchronized Thread newThread(Runnable runnable) {
            final Thread thread = new Thread(runnable, prefix + "-" + created.size());
            thread.setDaemon(daemon);
            if (handler != null) {
                thread.setUncaughtExceptionHandler(handler);
            }
            created.add(thread);
            return thread;
        }

        synchronized List<Thread> created() {
            return List.copyOf(created);
        }
    }

    /**
     * Stops every pool registered with it after each test: {@code shutdownNow()} (which also
     * interrupts any task still blocked on one of the test's latches) and a bounded wait for
     * termination. Register it with {@code @RegisterExtension}.
     */
    static final class Pools implements AfterEachCallback {
        /** Workers stop within milliseconds of shutdownNow(); this only bounds a pool that never terminates. */
        private static final Duration TEARDOWN = Duration.ofSeconds(5);

        private final List<WorkStealingPool> pools = new ArrayList<>();

        /** Registers {@code pool} to be stopped after the test, and returns it. */
        synchronized WorkStealingPool add(WorkStealingPool pool) {
            pools.add(pool);
            return pool;
        }

        /** Builds {@code builder}'s pool and registers it. */
        WorkStealingPool build(WorkStealingPool.Builder builder) {
            return add(builder.build());
        }

        @Override
        public void afterEach(ExtensionContext context) throws InterruptedException {
            final List<WorkStealingPool> toStop;
            synchronized (this) {
                toStop = List.copyOf(pools);
                pools.clear();
            }
            final List<String> stuck = new ArrayList<>();
            for (WorkStealingPool pool : toStop) {
                pool.shutdownNow();
            }
            final long deadline = System.nanoTime() + TEARDOWN.toNanos();
            for (WorkStealingPool pool : toStop) {
                if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    stuck.add(pool.toString());
                }
            }
            if (!stuck.isEmpty()) {
                fail("pools still running %s after shutdownNow(): %s", TEARDOWN, stuck);
            }
        }
    }
}
