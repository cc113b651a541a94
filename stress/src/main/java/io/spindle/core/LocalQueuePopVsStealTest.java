package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The owner's {@link LocalQueue#pop} against a thief's {@link LocalQueue#stealInto} on a queue
 * holding one or two tasks: both advance {@code real} in the packed {@code head}, the owner by
 * one, the thief by ⌈half⌉, each with a CAS, and each reads its slots only after its CAS won.
 *
 * <p>Outcome: (task the owner popped, mask of the tasks the thief got, mask of tasks lost, mask
 * of tasks found twice); task {@code i} is bit {@code 1 << (i - 1)}.
 *
 * <p>What the CAS buys: a single-consumer ring would let its owner advance {@code head} with a
 * plain store; here the owner and the thief would then both take task 1 ({@code 1, 1, 0, 1}),
 * and with two tasks the owner could also read a slot the thief had already cleared and pop
 * nothing although task 2 is still queued ({@code 0, 1, 0, 0} in {@link TwoTasks}). With the
 * pop's CAS replaced by a release store, both appear within seconds.
 */
public class LocalQueuePopVsStealTest {

    private LocalQueuePopVsStealTest() {}

    /** The queue holds one task: exactly one of the two gets it. */
    @JCStressTest
    @Outcome(id = "1, 0, 0, 0", expect = ACCEPTABLE, desc = "The owner's pop won; the thief found the queue empty.")
    @Outcome(id = "0, 1, 0, 0", expect = ACCEPTABLE, desc = "The thief's claim won; the owner found the queue empty.")
    @Outcome(expect = FORBIDDEN, desc = "Both took the task, or neither did.")
    @State
    public static class OneTask extends Race {
        public OneTask() {
            super(1);
        }

        @Actor
        public void owner() {
            pop();
        }

        @Actor
        public void thief() {
            steal();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            account(r);
        }
    }

    /**
     * The queue holds two tasks: the thief takes ⌈2/2⌉ = 1, or ⌈1/2⌉ = 1 after the owner's pop,
     * so each side gets exactly one. A thief never gives up here, since no other thief holds a
     * claim: {@code 1, 0, 0, 0} would mean it did.
     */
    @JCStressTest
    @Outcome(id = "2, 1, 0, 0", expect = ACCEPTABLE, desc = "The thief claimed task 1 first (possibly still copying it); the owner popped task 2.")
    @Outcome(id = "1, 2, 0, 0", expect = ACCEPTABLE, desc = "The owner popped task 1 first; the thief claimed task 2.")
    @Outcome(expect = FORBIDDEN, desc = "A task was lost or taken twice, or the thief gave up without a rival.")
    @State
    public static class TwoTasks extends Race {
        public TwoTasks() {
            super(2);
        }

        @Actor
        public void owner() {
            pop();
        }

        @Actor
        public void thief() {
            steal();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            account(r);
        }
    }

    /**
     * The race itself; each test chooses how many tasks the queue starts with. (jcstress looks for
     * actors only in the test class itself, hence the one-line delegates there.)
     */
    abstract static class Race {
        private final LocalQueue victim = new LocalQueue(8);
        private final LocalQueue thiefQueue = new LocalQueue(8);
        private final InjectQueue<Task> inject = new InjectQueue<>();
        private final WorkerMetrics thiefMetrics = new WorkerMetrics();
        private final int count;
        private Task popped;
        private Task stolen;

        Race(int count) {
            this.count = count;
            final WorkerMetrics ownerMetrics = new WorkerMetrics();
            for (int id = 1; id <= count; id++) {
                victim.pushBackOrOverflow(new StressTask(id), inject, ownerMetrics);
            }
        }

        final void pop() {
            popped = victim.pop();
        }

        final void steal() {
            stolen = victim.stealInto(thiefQueue, thiefMetrics);
        }

        final void account(IIII_Result r) {
            final TaskLedger ledger = new TaskLedger(count);
            ledger.record(popped);
            final int thiefGot = ledger.record(stolen) | ledger.recordAll(thiefQueue);
            ledger.recordAll(victim);
            ledger.recordAll(inject);
            r.r1 = StressTask.id(popped);
            r.r2 = thiefGot;
            r.r3 = ledger.lost();
            r.r4 = ledger.duplicated();
        }
    }
}
