package io.spindle.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The README's first command ({@code mvn -q -pl examples -am compile exec:java}): a simulated
 * request fan-out service run side by side on Spindle ({@code SpindleScheduler}), Reactor's
 * {@code Schedulers.newParallel} and {@code Schedulers.fromExecutorService(new ForkJoinPool(n))},
 * with a live progress bar per run and a table of throughput, latency percentiles and Spindle's
 * pool metrics at the end. See {@link FanOutService} for the workload and {@link DemoOptions}
 * for the options ({@code --help}).
 *
 * <p>What it shows: a call that blocks for 50 ms holds up everything queued behind it on
 * {@code parallel()}, whose Workers and direct tasks are dealt round-robin to single-thread
 * executors, while Spindle's idle threads steal that work; a {@code ForkJoinPool} steals too but
 * cannot time anything, so its timeouts need another thread.
 *
 * <p>{@link #main} runs the schedulers one after the other on the calling thread; each creates
 * its own threads and disposes them before the next starts.
 */
public final class Demo {

    /** The schedulers compared, in the order they run and appear in the table. */
    static final List<IntFunction<SchedulerUnderTest>> SCHEDULERS = List.of(
            SchedulerUnderTest::spindle, SchedulerUnderTest::parallel, SchedulerUnderTest::forkJoinPool);

    private Demo() {}

    /**
     * Runs the demo on stdout: exits with status 2 and a message naming the option, the value
     * and the accepted range for a bad option; prints the usage for {@code --help}.
     *
     * @param args see {@code --help}
     * @throws InterruptedException if interrupted while the workload runs
     */
    public static void main(String[] args) throws InterruptedException {
        final DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("Run with --help for the options.");
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        run(options, System.out, TerminalStyle.detect());
    }

    /**
     * Runs the workload on each scheduler in turn, then prints the table. Each scheduler is
     * created for its run and disposed after it, so nothing is left running when this returns.
     *
     * @param options the request count, workers and slow ratio ({@code help} is ignored)
     * @param out where the progress and the table go
     * @param style terminal or plain output, colours, the dash
     * @return the results, one per scheduler, in table order
     * @throws InterruptedException if interrupted while the workload runs
     * @throws IllegalStateException if a request fails
     */
    static List<RunResult> run(DemoOptions options, PrintStream out, TerminalStyle style) throws InterruptedException {
        out.println(style.bold(String.format(Locale.ROOT,
                "Spindle demo: a fan-out service, %,d requests x %d backend calls on each scheduler",
                options.requests(), FanOutService.CALLS_PER_REQUEST)));
        out.println(style.dim(String.format(Locale.ROOT,
                "  %d threads each, %d requests in flight, %s%% of calls block for %d ms, %d ms timeout per call, Java %s",
                options.workers(), FanOutService.REQUESTS_IN_FLIGHT, percent(options.slowRatio()),
                FanOutService.SLOW_CALL.toMillis(), FanOutService.CALL_TIMEOUT.toMillis(),
                System.getProperty("java.version"))));
        out.println();
        final List<RunResult> results = new ArrayList<>();
        for (IntFunction<SchedulerUnderTest> factory : SCHEDULERS) {
            try (SchedulerUnderTest scheduler = factory.apply(options.workers())) {
                final ProgressBar bar = new ProgressBar(out, style, scheduler.name());
                final RunResult result = new FanOutService(scheduler, options.requests(), options.slowRatio()).run(bar);
                bar.finish(result.requests(), result.elapsedNanos());
                results.add(result);
            }
        }
        out.println();
        ResultTable.print(results, style, out);
        out.println();
        out.println(style.dim("  spindle:  SpindleScheduler.create(\"spindle\", n), calls and timeouts"));
        out.println(style.dim("  parallel: Schedulers.newParallel(\"parallel\", n), calls and timeouts"));
        out.println(style.dim("  forkjoin: Schedulers.fromExecutorService(new ForkJoinPool(n)); Reactor cannot time on it,"));
        out.println(style.dim("            so its timeouts run on a Schedulers.newSingle thread"));
        out.println(style.dim("  steals, parks, stalls: Spindle's pool().metrics() over the measured requests"));
        out.flush();
        return results;
    }

    private static String percent(double ratio) {
        final String formatted = String.format(Locale.ROOT, "%.3f", ratio * 100);
        return formatted.replaceAll("\\.?0+$", "");
    }
}
