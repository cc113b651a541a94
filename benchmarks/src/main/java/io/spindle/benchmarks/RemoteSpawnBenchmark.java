package io.spindle.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Tokio's {@code benches/remote_spawn.rs}: N threads outside the executor submit 12,800 no-op
 * tasks between them, to show how the path for outside submissions scales with the number of
 * producers. Tokio times only the submissions; here an operation also waits for the tasks to
 * run, so that queues cannot grow without bound across operations.
 *
 * <p>The producers are long-lived threads of a fixed pool, the same for every executor, so the
 * hand-off to them costs every column alike.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class RemoteSpawnBenchmark {

    static final int TOTAL_TASKS = 12_800;

    /** Submitting threads. */
    @Param({"1", "2", "4", "8"})
    public int producers;

    private ExecutorService producerThreads;
    private final List<Future<?>> submissions = new ArrayList<>();

    @Setup(Level.Trial)
    public void startProducers() {
        producerThreads = Executors.newFixedThreadPool(producers);
    }

    @TearDown(Level.Trial)
    public void stopProducers() throws InterruptedException {
        producerThreads.shutdownNow();
        producerThreads.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Benchmark
    public void remoteSpawn(ExecutorState state) throws InterruptedException, ExecutionException {
        final ExecutorHandle executor = state.executor();
        final RuntimeBenchmark.Countdown countdown = new RuntimeBenchmark.Countdown(TOTAL_TASKS);
        final int perProducer = TOTAL_TASKS / producers;
        submissions.clear();
        for (int p = 0; p < producers; p++) {
            submissions.add(producerThreads.submit(() -> {
                for (int i = 0; i < perProducer; i++) {
                    executor.execute(countdown);
                }
            }));
        }
        for (Future<?> submission : submissions) {
            submission.get();
        }
        countdown.await();
    }
}
