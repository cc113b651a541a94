package io.spindle.benchmarks;

import io.reactivex.rxjava3.core.Flowable;
import io.spindle.core.WorkStealingPool;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Timers as reactive code uses them, Spindle's wheel against the timers Reactor and RxJava use
 * by default and the JDK's.
 *
 * <ul>
 *   <li>{@code timeoutPattern}: per element, schedule a 10 s timeout and cancel it, which is
 *       what {@code timeout()} does for every element that arrives in time. Two threads, each
 *       {@value #ELEMENTS_PER_THREAD} elements per operation (100,000 together); the score is
 *       elements per microsecond, both threads together. Nothing ever fires: this is the cost
 *       of arming and disarming.
 *   <li>{@code manyDelays}: {@value #DELAYS} {@code Mono.delay(1 ms)} merged, until the last
 *       completes (for RxJava, {@code Flowable.timer} merged): the latency of a burst of short
 *       timers that all fall due together.
 * </ul>
 *
 * <p>The subjects: Spindle's pool ({@code schedule}/{@code cancel}; in {@code manyDelays}
 * through Reactor's {@code Schedulers.fromExecutorService}, which uses a
 * {@code ScheduledExecutorService}'s own timer); a {@code ScheduledThreadPoolExecutor} of
 * nproc threads with {@code removeOnCancelPolicy} on, as Reactor and RxJava configure theirs
 * (the default leaves every cancelled timeout in the queue for its 10 s, which runs a
 * 100,000-element stream out of memory); {@code Schedulers.newParallel} (Reactor's default
 * timer, {@code parallel()}); and RxJava's {@code computation()}.
 */
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class TimerBenchmark {

    static final int ELEMENTS_PER_THREAD = 50_000;
    static final int DELAYS = 10_000;
    static final long TIMEOUT_SECONDS = 10;

    /** The timer under test; one per trial. */
    @State(Scope.Benchmark)
    public static class TimerState {

        @Param({"spindle", "stpe", "reactorParallel", "rxComputation"})
        public String executor;

        TimerUnderTest timer;

        @Setup(Level.Trial)
        public void start() {
            timer = TimerUnderTest.start(executor);
        }

        @TearDown(Level.Trial)
        public void close() {
            timer.close();
        }
    }

    private static final Runnable NEVER = () -> {
        throw new AssertionError("a cancelled timeout fired");
    };

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(ELEMENTS_PER_THREAD)
    @Threads(2)
    public void timeoutPattern(TimerState state) {
        final TimerUnderTest timer = state.timer;
        for (int i = 0; i < ELEMENTS_PER_THREAD; i++) {
            timer.cancel(timer.schedule(NEVER, TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long manyDelays(TimerState state) {
        return state.timer.mergeDelays(DELAYS, Duration.ofMillis(1));
    }

    /** One subject: how it arms, disarms and merges delays. */
    abstract static class TimerUnderTest implements AutoCloseable {

        abstract Object schedule(Runnable task, long delay, TimeUnit unit);

        abstract void cancel(Object handle);

        /** Merges {@code count} one-shot delays and blocks until the last one completes. */
        abstract long mergeDelays(int count, Duration delay);

        @Override
        public abstract void close();

        static TimerUnderTest start(String executor) {
            final int processors = Runtime.getRuntime().availableProcessors();
            return switch (executor) {
                case "spindle" -> new ExecutorServiceTimer(WorkStealingPool.builder().name("bench").workers(processors).build());
                case "stpe" -> {
                    final ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(processors);
                    stpe.setRemoveOnCancelPolicy(true);
                    yield new ExecutorServiceTimer(stpe);
                }
                case "reactorParallel" -> new ReactorTimer(Schedulers.newParallel("bench", processors), true);
                case "rxComputation" -> new RxTimer();
                default -> throw new IllegalArgumentException("executor must be one of [spindle, stpe, reactorParallel, rxComputation], was " + executor);
            };
        }
    }

    /** A {@code ScheduledExecutorService}: its futures, and Reactor on top of it for the merge. */
    static final class ExecutorServiceTimer extends TimerUnderTest {
        private final ScheduledExecutorService executor;
        private final Scheduler scheduler;

        ExecutorServiceTimer(ScheduledExecutorService executor) {
            this.executor = executor;
            this.scheduler = Schedulers.fromExecutorService(executor);
        }

        @Override
        Object schedule(Runnable task, long delay, TimeUnit unit) {
            return executor.schedule(task, delay, unit);
        }

        @Override
        void cancel(Object handle) {
            ((ScheduledFuture<?>) handle).cancel(false);
        }

        @Override
        long mergeDelays(int count, Duration delay) {
            return ReactorTimer.merge(scheduler, count, delay);
        }

        @Override
        public void close() {
            scheduler.dispose();
            ExecutorUnderTest.shutdownNowAndAwait(executor);
        }
    }

    /** A Reactor {@code Scheduler}: {@code schedule} returns a {@code Disposable}. */
    static final class ReactorTimer extends TimerUnderTest {
        private final Scheduler scheduler;
        private final boolean owned;

        ReactorTimer(Scheduler scheduler, boolean owned) {
            this.scheduler = scheduler;
            this.owned = owned;
        }

        @Override
        Object schedule(Runnable task, long delay, TimeUnit unit) {
            return scheduler.schedule(task, delay, unit);
        }

        @Override
        void cancel(Object handle) {
            ((reactor.core.Disposable) handle).dispose();
        }

        @Override
        long mergeDelays(int count, Duration delay) {
            return merge(scheduler, count, delay);
        }

        static long merge(Scheduler scheduler, int count, Duration delay) {
            final Long last = Flux.range(0, count)
                    .flatMap(i -> Mono.delay(delay, scheduler), count)
                    .count()
                    .block(Duration.ofSeconds(30));
            if (last == null || last != count) {
                throw new IllegalStateException("expected " + count + " delays, got " + last);
            }
            return last;
        }

        @Override
        public void close() {
            if (owned) {
                scheduler.dispose();
            }
        }
    }

    /** RxJava's shared {@code computation()}: {@code scheduleDirect} and {@code Flowable.timer}. */
    static final class RxTimer extends TimerUnderTest {
        private final io.reactivex.rxjava3.core.Scheduler scheduler = io.reactivex.rxjava3.schedulers.Schedulers.computation();

        @Override
        Object schedule(Runnable task, long delay, TimeUnit unit) {
            return scheduler.scheduleDirect(task, delay, unit);
        }

        @Override
        void cancel(Object handle) {
            ((io.reactivex.rxjava3.disposables.Disposable) handle).dispose();
        }

        @Override
        long mergeDelays(int count, Duration delay) {
            final long last = Flowable.range(0, count)
                    .flatMap(i -> Flowable.timer(delay.toNanos(), TimeUnit.NANOSECONDS, scheduler), count)
                    .count()
                    .blockingGet();
            if (last != count) {
                throw new IllegalStateException("expected " + count + " delays, got " + last);
            }
            return last;
        }

        @Override
        public void close() {
            // Shared: never shut down.
        }
    }
}
