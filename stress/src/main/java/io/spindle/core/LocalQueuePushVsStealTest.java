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
 * The owner publishes tasks while a thief steals: {@link LocalQueue#pushBackOrOverflow}'s fast
 * path (a slot store, then a release store of {@code tail}) against
 * {@link LocalQueue#stealInto}'s claim (an acquire load of {@code tail}, a CAS of {@code head},
 * then reads of the claimed slots), followed by the owner's {@link LocalQueue#pop}.
 *
 * <p>The owner pushes tasks 1, 2, 3 into an empty queue and pops once; the thief steals once
 * into its own queue. Outcome: (task the owner popped, mask of the tasks the thief got, mask of
 * tasks lost, mask of tasks found twice); task {@code i} is bit {@code 1 << (i - 1)}. The thief
 * takes ⌈half⌉ of what it sees, oldest first, so it gets nothing, {1}, {1, 2} or, after the
 * owner's pop, {2}; the owner always pops the oldest task left.
 *
 * <p>What the orderings buy: if {@code tail} were published with a plain store (or read with a
 * plain load), the thief could see {@code tail = 3} and still read slot 0 or 1 before the task
 * was written there, taking a null in place of the task: the task is then lost (a non-zero
 * third field). If the owner's pop advanced {@code head} with a plain store instead of a CAS,
 * the owner and the thief could both take task 1 (a non-zero fourth field).
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 0", expect = ACCEPTABLE, desc = "The thief looked before the first push was published; the owner pops task 1.")
@Outcome(id = "2, 1, 0, 0", expect = ACCEPTABLE, desc = "The thief took task 1 (it saw one or two tasks); the owner pops task 2.")
@Outcome(id = "3, 3, 0, 0", expect = ACCEPTABLE, desc = "The thief saw all three and took the older half, tasks 1 and 2; the owner pops task 3.")
@Outcome(id = "1, 2, 0, 0", expect = ACCEPTABLE, desc = "The owner popped task 1 first; the thief took half of the remaining two, task 2.")
@Outcome(expect = FORBIDDEN, desc = "A task was lost or taken twice, or the owner did not pop the oldest task left.")
@State
public class LocalQueuePushVsStealTest {

    private final LocalQueue victim = new LocalQueue(8);
    private final LocalQueue thiefQueue = new LocalQueue(8);
    private final InjectQueue<Task> inject = new InjectQueue<>();
    private final WorkerMetrics ownerMetrics = new WorkerMetrics();
    private final WorkerMetrics thiefMetrics = new WorkerMetrics();
    private final Task[] tasks = {new StressTask(1), new StressTask(2), new StressTask(3)};
    private Task popped;
    private Task stolen;

    @Actor
    public void owner() {
        for (Task task : tasks) {
            victim.pushBackOrOverflow(task, inject, ownerMetrics);
        }
        popped = victim.pop();
    }

    @Actor
    public void thief() {
        stolen = victim.stealInto(thiefQueue, thiefMetrics);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        final TaskLedger ledger = new TaskLedger(tasks.length);
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
