package io.spindle.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Reactor's scheduling operators on {@code SpindleScheduler} and on the schedulers Reactor code
 * uses today, one pipeline per operation, blocked on from the benchmark thread (which is no
 * pool thread). The score is the time per pipeline. The shapes follow how each operator drives
 * a scheduler (reactor-core's {@code FluxPublishOn}, {@code MonoSubscribeOnCallable},
 * {@code ParallelRunOn}, {@code MonoDelay}):
 *
 * <ul>
 *   <li>{@code publishOn}: {@code Flux.range(0, 100_000).publishOn(s)}. One Worker for the
 *       whole stream; a fast producer and unbounded demand make few, long drains (re-requesting
 *       192 items at a time), so this is the hand-off cost of a hot stream.
 *   <li>{@code subscribeOnFanOut}: {@code Flux.range(0, 10_000).flatMap(i ->
 *       Mono.fromCallable(() -> i).subscribeOn(s))}. A callable source turns
 *       {@code subscribeOn} into one direct {@code schedule} per element: 256 from the benchmark
 *       thread (flatMap's concurrency), then each from the pool thread whose inner just
 *       completed, so most submissions come from inside the pool.
 *   <li>{@code parallelRunOn}: {@code Flux.range(0, 100_000).parallel(nproc).runOn(s)
 *       .map(work).sequential()}, the map burning {@code Blackhole.consumeCPU(10)} (a few
 *       nanoseconds). One Worker per rail, each a publishOn drain.
 *   <li>{@code publishOnSparseFanOut}: {@code Flux.range(0, 10_000).flatMap(i ->
 *       Flux.just(i).hide().publishOn(s))}, the per-request shape of WebFlux code: every element
 *       subscribes its own {@code FluxPublishOn}, which creates a Worker, schedules one task for
 *       its one signal (the {@code onComplete} that follows the item folds into the same drain
 *       through the operator's WIP counter, unless the drain has already finished) and disposes
 *       the Worker. {@code hide()} is what keeps it a {@code publishOn}: on a bare
 *       {@code Flux.just(i)} or {@code Mono.just(i)} Reactor swaps {@code publishOn} for a
 *       direct {@code schedule} of the value (the scalar-callable optimisation), which would make
 *       this {@code subscribeOnFanOut} again.
 *   <li>{@code publishOnOneByOne}: {@code Flux.range(0, 10_000).publishOn(s, 1).publishOn(s, 1)},
 *       the sparse-demand variant: one task per signal on a long-lived stream. A prefetch of 1
 *       is {@code limitRate(1)} built into each hop: each hop holds one item and asks for the
 *       next only once it has passed it on, so every item costs one task on each hop's Worker,
 *       the two Workers handing items back and forth. A {@code .limitRate(1)} placed after a
 *       single {@code publishOn(s)} would not do it: its {@code request(1)} is made inside the
 *       publishOn drain, whose WIP counter folds it into the running drain, and the stream
 *       stays one long task.
 *   <li>{@code delays}: 1,000 {@code Mono.delay(Duration.ofMillis(1), s)} merged, until the last
 *       completes: the latency of a burst of short timers that fall due together.
 * </ul>
 *
 * <p>The subjects ({@link ReactorSchedulerUnderTest}): {@code SpindleScheduler.create("bench",
 * nproc)}; {@code Schedulers.newParallel("bench", nproc)}; {@code Schedulers.fromExecutorService}
 * over a {@code ForkJoinPool} of nproc workers in async mode, its own (not the common pool, which
 * has {@code nproc - 1} workers and is shared); {@code Schedulers.fromExecutor} over kotlinx's
 * {@code Dispatchers.Default}; and {@code Schedulers.newBoundedElastic} with
 * {@code boundedElastic()}'s defaults. {@code delays} runs on the time-capable ones only: Reactor
 * rejects {@code Mono.delay} on {@code fromExecutor}/{@code fromExecutorService} over an executor
 * that is not a {@code ScheduledExecutorService}, so its row has no {@code fjpAsync} and no
 * {@code kotlinxDefault} cell.
 *
 * <p>For the Spindle subject every operation also counts the pool's inject-queue splices
 * ({@link InjectSpliceCounters}), which the report shows as splices per operation and tasks per
 * splice under the table: how much of the work left a worker in batches (local-queue overflows,
 * timer ticks) and how large they were.
 *
 * <p>Settings: 2 forks, 3 warm-up and 5 measured iterations of 1 s, for 28 subject-shape pairs:
 * about 7.5 minutes of iterations, 10 to 12 minutes with fork start-up and the slowest peers'
 * operations running past the end of an iteration ({@code benchmarks/run ReactorSchedulerBenchmark}).
 */
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReactorSchedulerBenchmark {

    /** Items of the hot streams ({@code publishOn}, {@code parallelRunOn}). */
    static final int ITEMS = 100_000;
    /** Elements of the fan-outs. */
    static final int FAN_OUT = 10_000;
    /** Items of {@code publishOnOneByOne}. */
    static final int ONE_BY_ONE = 10_000;
    /** Merged delays of {@code delays}. */
    static final int DELAYS = 1_000;
    static final Duration DELAY = Duration.ofMillis(1);
    /** {@code Blackhole.consumeCPU} tokens per item in {@code parallelRunOn}: a few nanoseconds. */
    static final long WORK = 10;
    /** How long one pipeline may take before the benchmark fails instead of hanging. */
    static final Duration LIMIT = Duration.ofSeconds(60);

    /** Every subject; one instance per trial. */
    @State(Scope.Benchmark)
    public static class Subjects {

        /** Kept equal to {@link ReactorSchedulerUnderTest#paramValues()} by the test. */
        @Param({"spindle", "reactorParallel", "fjpAsync", "kotlinxDefault", "boundedElastic"})
        public String executor;

        ReactorSchedulerUnderTest.Started subject;

        @Setup(Level.Trial)
        public void start() {
            subject = ReactorSchedulerUnderTest.forParam(executor).start();
        }

        @TearDown(Level.Trial)
        public void close() {
            subject.close();
        }
    }

    /** The subjects Reactor accepts delays on; one instance per trial. */
    @State(Scope.Benchmark)
    public static class TimeCapableSubjects {

        /** Kept equal to {@link ReactorSchedulerUnderTest#timeCapableParamValues()} by the test. */
        @Param({"spindle", "reactorParallel", "boundedElastic"})
        public String executor;

        ReactorSchedulerUnderTest.Started subject;

        @Setup(Level.Trial)
        public void start() {
            subject = ReactorSchedulerUnderTest.forParam(executor).start();
        }

        @TearDown(Level.Trial)
        public void close() {
            subject.close();
        }
    }

    @Benchmark
    public long publishOn(Subjects subjects, InjectSpliceCounters splices) {
        return counted(subjects.subject, splices, ReactorSchedulerBenchmark::publishOn);
    }

    @Benchmark
    public long subscribeOnFanOut(Subjects subjects, InjectSpliceCounters splices) {
        return counted(subjects.subject, splices, ReactorSchedulerBenchmark::subscribeOnFanOut);
    }

    @Benchmark
    public long parallelRunOn(Subjects subjects, InjectSpliceCounters splices) {
        return counted(subjects.subject, splices, ReactorSchedulerBenchmark::parallelRunOn);
    }

    @Benchmark
    public long publishOnSparseFanOut(Subjects subjects, InjectSpliceCounters splices) {
        return counted(subjects.subject, splices, ReactorSchedulerBenchmark::publishOnSparseFanOut);
    }

    @Benchmark
    public long publishOnOneByOne(Subjects subjects, InjectSpliceCounters splices) {
        return counted(subjects.subject, splices, ReactorSchedulerBenchmark::publishOnOneByOne);
    }

    @Benchmark
    public long delays(TimeCapableSubjects subjects, InjectSpliceCounters splices) {
        return counted(subjects.subject, splices, ReactorSchedulerBenchmark::delays);
    }

    /** Runs {@code pipeline} on the subject's scheduler, counting the pool's inject splices around it. */
    private static long counted(ReactorSchedulerUnderTest.Started subject, InjectSpliceCounters splices,
            ToLongFunction<Scheduler> pipeline) {
        splices.begin(subject.pool());
        final long items = pipeline.applyAsLong(subject.scheduler());
        splices.end(subject.pool());
        return items;
    }

    // The pipelines, package-private so that the test runs each once on every subject.

    static long publishOn(Scheduler scheduler) {
        return expect(ITEMS, Flux.range(0, ITEMS).publishOn(scheduler).count());
    }

    static long subscribeOnFanOut(Scheduler scheduler) {
        return expect(FAN_OUT, Flux.range(0, FAN_OUT).flatMap(i -> Mono.fromCallable(() -> i).subscribeOn(scheduler)).count());
    }

    static long parallelRunOn(Scheduler scheduler) {
        return expect(ITEMS, Flux.range(0, ITEMS)
                .parallel(Runtime.getRuntime().availableProcessors())
                .runOn(scheduler)
                .map(v -> {
                    Blackhole.consumeCPU(WORK);
                    return v;
                })
                .sequential()
                .count());
    }

    static long publishOnSparseFanOut(Scheduler scheduler) {
        return expect(FAN_OUT, Flux.range(0, FAN_OUT).flatMap(i -> Flux.just(i).hide().publishOn(scheduler)).count());
    }

    static long publishOnOneByOne(Scheduler scheduler) {
        return expect(ONE_BY_ONE, Flux.range(0, ONE_BY_ONE).publishOn(scheduler, 1).publishOn(scheduler, 1).count());
    }

    static long delays(Scheduler scheduler) {
        return expect(DELAYS, Flux.range(0, DELAYS).flatMap(i -> Mono.delay(DELAY, scheduler), DELAYS).count());
    }

    /** Blocks for the count (at most {@link #LIMIT}) and checks that every item arrived. */
    private static long expect(int expected, Mono<Long> count) {
        final Long actual = count.block(LIMIT);
        if (actual == null || actual != expected) {
            throw new IllegalStateException("expected " + expected + " items, got " + actual);
        }
        return actual;
    }
}
