package io.spindle.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tokio's {@code benches/rt_multi_threaded.rs}, ported to executors of {@link Runnable}s: the
 * scheduler's own benchmark suite, run for Spindle and every peer.
 *
 * <p>Each operation submits its tasks and waits until the last one has run, so the score is the
 * time to schedule and run the whole shape. Where Tokio awaits a {@code JoinHandle} or a
 * oneshot, these tasks count down a shared counter and the last one opens a latch.
 *
 * <ul>
 *   <li>{@code spawnManyLocal}: one task, running on the executor, submits 10,000 no-op tasks.
 *       (Tokio's version submits from {@code block_on}, i.e. from outside; this is the truly
 *       local one its reference notes ask for.)
 *   <li>{@code spawnManyRemoteIdle}: the benchmark thread submits 10,000 no-op tasks to an idle
 *       executor.
 *   <li>{@code spawnManyRemoteBusy}: the same while 2 × workers background tasks keep every
 *       worker busy, each spinning 10 µs per turn and then resubmitting itself from its own
 *       thread. An executor that lets local work starve outside submissions never finishes the
 *       batch: the operation then fails after {@value #STARVATION_TIMEOUT_SECONDS} s and the
 *       report shows no score.
 *   <li>{@code pingPong}: a root task on the executor starts 1,000 pairs; each pair is three
 *       hops (ping submits pong, pong submits the reply, the reply counts down).
 *   <li>{@code yieldMany}: 200 tasks each resubmit themselves 1,000 times.
 *   <li>{@code chainedSpawn}: a serial chain of 1,000 tasks, each submitting the next.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class RuntimeBenchmark {

    static final int NUM_SPAWN = 10_000;
    static final int NUM_PINGS = 1_000;
    static final int YIELD_TASKS = 200;
    static final int YIELDS_PER_TASK = 1_000;
    static final int CHAIN_LENGTH = 1_000;
    static final long STALL_NANOS = 10_000;
    static final long STARVATION_TIMEOUT_SECONDS = 20;

    /** Counts tasks down and opens a latch at zero. */
    static final class Countdown implements Runnable {
        private final AtomicInteger remaining;
        private final CountDownLatch done = new CountDownLatch(1);

        Countdown(int tasks) {
            this.remaining = new AtomicInteger(tasks);
        }

        @Override
        public void run() {
            if (remaining.decrementAndGet() == 0) {
                done.countDown();
            }
        }

        void await() throws InterruptedException {
            if (!done.await(STARVATION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(remaining.get() + " tasks had not run after "
                        + STARVATION_TIMEOUT_SECONDS + " s: the executor starves them");
            }
        }
    }

    @Benchmark
    public void spawnManyLocal(ExecutorState state) throws InterruptedException {
        final ExecutorHandle executor = state.executor();
        final Countdown countdown = new Countdown(NUM_SPAWN);
        executor.execute(() -> {
            for (int i = 0; i < NUM_SPAWN; i++) {
                executor.execute(countdown);
            }
        });
        countdown.await();
    }

    @Benchmark
    public void spawnManyRemoteIdle(ExecutorState state) throws InterruptedException {
        final ExecutorHandle executor = state.executor();
        final Countdown countdown = new Countdown(NUM_SPAWN);
        for (int i = 0; i < NUM_SPAWN; i++) {
            executor.execute(countdown);
        }
        countdown.await();
    }

    /** Background load for {@link #spawnManyRemoteBusy}: 2 × workers spinning, resubmitting tasks. */
    @State(Scope.Benchmark)
    public static class Busy {
        private volatile boolean running;
        private CountDownLatch stopped;

        @Setup(Level.Iteration)
        public void start(ExecutorState state) {
            final ExecutorHandle executor = state.executor();
            if (executor instanceof TrampolineExecutor) {
                throw new UnsupportedOperationException("the immediate executor has no worker to keep busy");
            }
            final int tasks = 2 * ExecutorUnderTest.processors();
            running = true;
            stopped = new CountDownLatch(tasks);
            for (int i = 0; i < tasks; i++) {
                executor.execute(new Runnable() {
                    @Override
                    public void run() {
                        if (!running) {
                            stopped.countDown();
                            return;
                        }
                        final long until = System.nanoTime() + STALL_NANOS;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        executor.execute(this);
                    }
                });
            }
        }

        @TearDown(Level.Iteration)
        public void stop() throws InterruptedException {
            running = false;
            if (!stopped.await(STARVATION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("background tasks did not stop");
            }
        }
    }

    @Benchmark
    public void spawnManyRemoteBusy(ExecutorState state, Busy busy) throws InterruptedException {
        spawnManyRemoteIdle(state);
    }

    @Benchmark
    public void pingPong(ExecutorState state) throws InterruptedException {
        final ExecutorHandle executor = state.executor();
        final Countdown countdown = new Countdown(NUM_PINGS);
        final Runnable reply = countdown;
        final Runnable pong = () -> executor.execute(reply);
        final Runnable ping = () -> executor.execute(pong);
        executor.execute(() -> {
            for (int i = 0; i < NUM_PINGS; i++) {
                executor.execute(ping);
            }
        });
        countdown.await();
    }

    @Benchmark
    public void yieldMany(ExecutorState state) throws InterruptedException {
        final ExecutorHandle executor = state.executor();
        final Countdown countdown = new Countdown(YIELD_TASKS);
        for (int i = 0; i < YIELD_TASKS; i++) {
            executor.execute(new Resubmitting(executor, YIELDS_PER_TASK, countdown));
        }
        countdown.await();
    }

    @Benchmark
    public void chainedSpawn(ExecutorState state) throws InterruptedException {
        final ExecutorHandle executor = state.executor();
        final Countdown countdown = new Countdown(1);
        executor.execute(new Resubmitting(executor, CHAIN_LENGTH, countdown));
        countdown.await();
    }

    /**
     * A task that submits itself again from its own run until it has run {@code runs} times,
     * then runs {@code done}: Tokio's {@code yield_now} loop, and a serial chain of spawns.
     */
    static final class Resubmitting implements Runnable {
        private final ExecutorHandle executor;
        private final Runnable done;
        private int left;

        Resubmitting(ExecutorHandle executor, int runs, Runnable done) {
            this.executor = executor;
            this.left = runs;
            this.done = done;
        }

        @Override
        public void run() {
            if (--left == 0) {
                done.run();
            } else {
                executor.execute(this);
            }
        }
    }
}
