package io.spindle.benchmarks;

import io.spindle.core.WorkStealingPool;
import java.time.Duration;
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

/**
 * What stall detection costs a busy pool (issue #7 asks for under 1%): three of
 * {@link RuntimeBenchmark}'s shapes on Spindle alone, with the detector off
 * ({@code stallThresholdMillis=0}: no monitor thread, and the workers' per-task store of the
 * running task is the only difference left) and on at its default of 1 s (the monitor looks
 * four times a second). The shapes are the ones with the most tasks per microsecond, where a
 * per-task cost would show first: outside submissions to an idle pool (each operation also
 * wakes the pool from idle, the monitor's wake-up path), a serial chain, and many
 * self-resubmitting tasks.
 *
 * <p>Compare the two rows of each shape; run it alone on a quiet machine, e.g.
 * {@code benchmarks/run StallDetectionBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class StallDetectionBenchmark {

    /** The pool's stall threshold in milliseconds; 0 turns detection off. */
    @Param({"0", "1000"})
    public long stallThresholdMillis;

    private WorkStealingPool pool;
    private ExecutorHandle executor;

    /** Starts a pool of one worker per processor with the threshold under test. */
    @Setup(Level.Trial)
    public void start() {
        pool = WorkStealingPool.builder().name("bench").workers(ExecutorUnderTest.processors())
                .stallThreshold(Duration.ofMillis(stallThresholdMillis)).build();
        final WorkStealingPool started = pool;
        executor = new ExecutorHandle() {
            @Override
            public void execute(Runnable task) {
                started.execute(task);
            }

            @Override
            public void close() {
                started.shutdownNow();
            }
        };
    }

    /** Stops the pool and waits, bounded, for its threads to end. */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        executor.close();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(pool + " did not terminate within 10 s");
        }
    }

    @Benchmark
    public void spawnManyRemoteIdle() throws InterruptedException {
        final RuntimeBenchmark.Countdown countdown = new RuntimeBenchmark.Countdown(RuntimeBenchmark.NUM_SPAWN);
        for (int i = 0; i < RuntimeBenchmark.NUM_SPAWN; i++) {
            executor.execute(countdown);
        }
        countdown.await();
    }

    @Benchmark
    public void chainedSpawn() throws InterruptedException {
        final RuntimeBenchmark.Countdown countdown = new RuntimeBenchmark.Countdown(1);
        executor.execute(new RuntimeBenchmark.Resubmitting(executor, RuntimeBenchmark.CHAIN_LENGTH, countdown));
        countdown.await();
    }

    @Benchmark
    public void yieldMany() throws InterruptedException {
        final RuntimeBenchmark.Countdown countdown = new RuntimeBenchmark.Countdown(RuntimeBenchmark.YIELD_TASKS);
        for (int i = 0; i < RuntimeBenchmark.YIELD_TASKS; i++) {
            executor.execute(new RuntimeBenchmark.Resubmitting(executor, RuntimeBenchmark.YIELDS_PER_TASK, countdown));
        }
        countdown.await();
    }
}
