package io.spindle.core;

import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link LocalQueue} against itself run sequentially: Lincheck's model checker
 * explores interleavings of every switch point of the queue (the CASes and acquire loads of
 * {@code head}, the release store and acquire loads of {@code tail}, the slot accesses).
 *
 * <p>The queue is single-producer: {@code push}, {@code pop} and {@code drainInject} are the
 * owner's and run in one thread ({@code nonParallelGroup = "owner"}); thieves steal into their
 * own queue (one per Lincheck thread, {@link ThreadIdGen}) and return the stolen values, oldest
 * first. The ring holds 4 tasks and starts full (values 11..14), so that pushes overflow to the
 * inject queue and steals race with overflows and with pushes into slots being copied out.
 *
 * <p>By design the queue is not linearizable in four places, each harmless to the pool and each
 * shown by a jcstress test in the {@code stress} module. The operations here absorb them so that
 * everything else can be compared with the sequential queue:
 * <ul>
 *   <li>A thief that finds another thief's claim in flight gives up at once (it never waits;
 *       {@code LocalQueueTwoThievesTest}). {@link Stealing#steal} retries instead.
 *   <li>A push into a ring whose free slots are still being copied out by a thief sends the task
 *       alone to the inject queue ({@code LocalQueueOverflowVsStealTest}); sequentially the
 *       steal would have freed the slots first. {@link Fixture#pushTask} checks that exactly that
 *       task went to the inject queue, takes it back and pushes again once the thief is done.
 *   <li>Between an overflow's claim of the whole ring and its release of the older half the ring
 *       looks empty ({@code LocalQueueOverflowVsStealTest} again). Steals and {@code len} that
 *       see an empty ring while a push is in progress look again ({@link Fixture#pushSeq}, a
 *       sequence lock: odd while the owner is pushing).
 *   <li>A thief sizes its half from {@code tail} loaded before its claim; if the owner pushes
 *       in between, the claim is ⌈half⌉ of the earlier, shorter queue. Linearized at that load
 *       the steal is correct, but a {@code len} in the same window sees the pushed task and the
 *       not-yet-stolen ones together, a depth the sequential queue never has at that point. So
 *       {@code len()} is checked against the owner alone, in {@link Length}; {@link Stealing}
 *       races thieves with the owner.
 * </ul>
 */
public class LocalQueueLincheckTest {

    /** The ring's capacity, the smallest allowed: overflows every few pushes. */
    static final int CAPACITY = 4;

    /** Lincheck's thread ids: 0 for the init part, 1..threads, threads + 1 for the post part. */
    static final int THREAD_IDS = 8;

    @Test
    void pushPopStealAndOverflowAreLinearizable() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(2)
                .check(Stealing.class);
    }

    @Test
    void lenIsLinearizableAgainstTheOwner() {
        new ModelCheckingOptions()
                .iterations(6)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .check(Length.class);
    }

    /** The owner and thieves. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class Stealing extends Fixture {

        private final LocalQueue[] thiefQueues = new LocalQueue[THREAD_IDS];
        private final WorkerMetrics[] thiefMetrics = new WorkerMetrics[THREAD_IDS];

        public Stealing() {
            for (int i = 0; i < THREAD_IDS; i++) {
                thiefQueues[i] = new LocalQueue(CAPACITY);
                thiefMetrics[i] = new WorkerMetrics();
            }
        }

        @Operation(nonParallelGroup = "owner")
        public int push(@Param(name = "value") int value) {
            return pushTask(value);
        }

        @Operation(nonParallelGroup = "owner")
        public Integer pop() {
            return popTask();
        }

        @Operation(nonParallelGroup = "owner")
        public List<Integer> drainInject() {
            return drainInjectQueue();
        }

        /**
         * Steals into this thread's queue and returns what was stolen, oldest first; retries while
         * another thief's claim or an overflow hides the queue's tasks.
         */
        @Operation
        public List<Integer> steal(@Param(gen = ThreadIdGen.class) int threadId) {
            final LocalQueue own = thiefQueues[threadId];
            Task last;
            while ((last = queue.stealInto(own, thiefMetrics[threadId])) == null && !emptyOutsideOverflow()) {
                Thread.onSpinWait();
            }
            // Drained at once, so that the next steal always finds room.
            final List<Integer> values = new ArrayList<>();
            Task task;
            while ((task = own.pop()) != null) {
                values.add(value(task));
            }
            if (last != null) {
                values.add(value(last));
            }
            return values;
        }
    }

    /**
     * The owner and readers of {@code len()} ({@code isEmpty()} is {@code len() == 0}). A
     * {@code len()} that loads head and then tail once, without loading head again, reports
     * depths the queue never had (6 on this ring of 4, with an overflow between the two loads):
     * this test finds that within seconds.
     */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class Length extends Fixture {

        @Operation(nonParallelGroup = "owner")
        public int push(@Param(name = "value") int value) {
            return pushTask(value);
        }

        @Operation(nonParallelGroup = "owner")
        public Integer pop() {
            return popTask();
        }

        /** The queue's depth; looks again if it saw the empty ring of an overflow in progress. */
        @Operation
        public int len() {
            for (;;) {
                final int seq = pushSeq;
                final int len = queue.len();
                if (len > 0 || ((seq & 1) == 0 && pushSeq == seq)) {
                    return len;
                }
                Thread.onSpinWait();
            }
        }
    }

    /** The queue under test with its inject queue, and the owner's operations. */
    abstract static class Fixture {

        final LocalQueue queue = new LocalQueue(CAPACITY);
        private final InjectQueue<Task> inject = new InjectQueue<>();
        private final WorkerMetrics ownerMetrics = new WorkerMetrics();

        /**
         * Odd while the owner is inside {@link #pushTask}: a reader that saw an empty ring and the
         * same even value before and after knows no overflow was hiding the ring's tasks. Written
         * only by the owner thread.
         */
        volatile int pushSeq;

        Fixture() {
            for (int value = 11; value < 11 + CAPACITY; value++) {
                queue.pushBackOrOverflow(new TestTask(value), inject, ownerMetrics);
            }
        }

        /**
         * Pushes a task; returns how many tasks went to the inject queue: 0, or {@code CAPACITY /
         * 2 + 1} for an overflow. Each attempt gets an inject queue of its own, so that a task
         * sent alone because a thief's claim was in flight can be taken back; an overflow's batch
         * is then moved to the real inject queue in one splice.
         */
        final int pushTask(int value) {
            final TestTask task = new TestTask(value);
            pushSeq = pushSeq + 1;
            try {
                for (;;) {
                    final InjectQueue<Task> overflow = new InjectQueue<>();
                    queue.pushBackOrOverflow(task, overflow, ownerMetrics);
                    final int moved = overflow.len();
                    if (moved != 1) {
                        final List<Task> batch = new ArrayList<>();
                        try (InjectQueue.Pop<Task> tasks = overflow.popN(moved)) {
                            tasks.forEachRemaining(batch::add);
                        }
                        inject.pushBatch(batch);
                        return moved;
                    }
                    if (overflow.pop() != task || !overflow.isEmpty()) {
                        throw new AssertionError("a push racing a steal must send exactly the pushed task to the inject queue");
                    }
                    while (queue.remainingSlots() == 0) {
                        Thread.onSpinWait();
                    }
                }
            } finally {
                pushSeq = pushSeq + 1;
            }
        }

        final Integer popTask() {
            final Task task = queue.pop();
            return task == null ? null : value(task);
        }

        final List<Integer> drainInjectQueue() {
            final List<Integer> values = new ArrayList<>();
            Task task;
            while ((task = inject.pop()) != null) {
                values.add(value(task));
            }
            return values;
        }

        /** Whether the ring is empty, not merely hidden by an overflow in progress. */
        final boolean emptyOutsideOverflow() {
            for (;;) {
                final int seq = pushSeq;
                final boolean empty = queue.isEmpty();
                if (!empty || ((seq & 1) == 0 && pushSeq == seq)) {
                    return empty;
                }
                Thread.onSpinWait();
            }
        }

        static int value(Task task) {
            return ((TestTask) task).value;
        }
    }
}
