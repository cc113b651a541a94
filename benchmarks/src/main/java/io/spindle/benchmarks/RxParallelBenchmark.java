package io.spindle.benchmarks;

import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.spindle.rxjava.SpindleRxScheduler;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * RxJava's {@code parallel().runOn(...)} fan-out, after RxJava's own {@code ParallelPerf.parallel}:
 * {@code Flowable.range(0, 100_000).parallel().runOn(s).map(work).sequential().blockingLast()},
 * one rail per processor (RxJava's default parallelism), the map burning
 * {@code Blackhole.consumeCPU(work)}. Each rail is an observeOn-like drain on its own Worker
 * ({@code SchedulerMultiWorkerSupport.createWorkers}), so this measures how well the scheduler
 * keeps every thread busy with a few hot Workers, and the per-batch hand-off cost when the work
 * is small. The score is whole pipelines per second.
 *
 * <p>The subjects: {@link SpindleRxScheduler} owning a pool of nproc workers;
 * RxJava's {@code Schedulers.computation()} (rails dealt to fixed threads); and
 * {@code Schedulers.from(ForkJoinPool)} over an async-mode pool of nproc workers (eager
 * Workers, RxJava's default).
 */
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class RxParallelBenchmark {

    static final int ITEMS = 100_000;

    /** The scheduler under test; one per trial. */
    @State(Scope.Benchmark)
    public static class SchedulerState {

        @Param({"spindle", "rxComputation", "fjpAsync"})
        public String executor;

        /** {@code Blackhole.consumeCPU} tokens per item: a few nanoseconds at 10, about a microsecond at 1000. */
        @Param({"10", "1000"})
        public long work;

        Scheduler scheduler;
        private Runnable close;

        @Setup(Level.Trial)
        public void start() {
            final int processors = Runtime.getRuntime().availableProcessors();
            switch (executor) {
                case "spindle" -> {
                    final SpindleRxScheduler spindle = SpindleRxScheduler.create("bench", processors);
                    scheduler = spindle;
                    close = spindle::shutdown;
                }
                case "rxComputation" -> {
                    scheduler = Schedulers.computation();
                    close = () -> { };
                }
                case "fjpAsync" -> {
                    final ForkJoinPool pool = new ForkJoinPool(processors, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
                    scheduler = Schedulers.from(pool);
                    close = pool::shutdownNow;
                }
                default -> throw new IllegalArgumentException("executor must be one of [spindle, rxComputation, fjpAsync], was " + executor);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            close.run();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Integer parallelRunOn(SchedulerState state) {
        return run(state.scheduler, state.work);
    }

    /** One pipeline; public to the package so the test can check every subject completes it. */
    static Integer run(Scheduler scheduler, long work) {
        return Flowable.range(0, ITEMS)
                .parallel()
                .runOn(scheduler)
                .map(v -> {
                    Blackhole.consumeCPU(work);
                    return v;
                })
                .sequential()
                .blockingLast();
    }
}
