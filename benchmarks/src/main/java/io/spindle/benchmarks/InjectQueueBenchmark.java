package io.spindle.benchmarks;

import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Spindle's {@code InjectQueue} against the two queues it could have been, on the two ways a
 * pool uses its inject queue.
 *
 * <ul>
 *   <li>{@code pushPop*}: 1, 2 and 4 threads each push one task and pop one, sharing one queue:
 *       the cost of a single submission and a single take under contention (4 threads on a
 *       2-core machine also shows a lock holder losing its CPU). Tasks are intrusive, so a task
 *       cannot be queued twice: each thread holds exactly one task and pushes whatever it popped
 *       last. Since every thread pushes before it pops, a pop always finds a task.
 *   <li>{@code pushBatchPopN}: one thread pushes a batch of {@value #BATCH} tasks and takes
 *       them all out again, as a local-queue overflow and a worker's batch take do, each queue
 *       with its own batch operations.
 * </ul>
 *
 * Scores are nanoseconds per push-and-pop pair, and per whole batch round trip.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class InjectQueueBenchmark {

    /** Tasks per batch: half a local queue, the most a worker's overflow or batch take moves. */
    static final int BATCH = 128;

    /** The {@link QueueUnderTest#paramValue()} of the queue to measure. */
    @Param({"InjectQueue", "ConcurrentLinkedQueue", "MpmcUnboundedXaddArrayQueue"})
    public String queue;

    private QueueUnderTest.TaskQueue tasks;

    /** The one task a thread owns between its push and its pop. */
    @State(Scope.Thread)
    public static class HeldTask {
        InertTask task = new InertTask();
    }

    /** A thread's batch; every task is out of the queue between two invocations. */
    @State(Scope.Thread)
    public static class Batch {
        final List<InertTask> tasks = new ArrayList<>(BATCH);

        /** Fills the batch. */
        @Setup(Level.Trial)
        public void fill() {
            for (int i = 0; i < BATCH; i++) {
                tasks.add(new InertTask());
            }
        }
    }

    /** Creates the queue named by {@link #queue}. */
    @Setup(Level.Trial)
    public void createQueue() {
        tasks = QueueUnderTest.forParam(queue).create();
    }

    /** One push and one pop, uncontended. */
    @Benchmark
    @Threads(1)
    public InertTask pushPop1Thread(HeldTask held) {
        return pushPop(held);
    }

    /** One push and one pop, two threads on the same queue. */
    @Benchmark
    @Threads(2)
    public InertTask pushPop2Threads(HeldTask held) {
        return pushPop(held);
    }

    /** One push and one pop, four threads on the same queue. */
    @Benchmark
    @Threads(4)
    public InertTask pushPop4Threads(HeldTask held) {
        return pushPop(held);
    }

    /** A batch of {@value #BATCH} in with one batch operation, and all of it out again. */
    @Benchmark
    @Threads(1)
    public int pushBatchPopN(Batch batch, Blackhole blackhole) {
        tasks.pushBatch(batch.tasks);
        return tasks.popBatch(BATCH, blackhole);
    }

    InertTask pushPop(HeldTask held) {
        final QueueUnderTest.TaskQueue tasks = this.tasks;
        tasks.push(held.task);
        final InertTask popped = tasks.pop();
        held.task = popped;
        return popped;
    }

    /** For tests: the queue of this trial. */
    QueueUnderTest.TaskQueue taskQueue() {
        return tasks;
    }
}
