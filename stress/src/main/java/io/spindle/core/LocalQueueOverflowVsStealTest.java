package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The owner pushes into a full ring while a thief steals from it: the overflow path of
 * {@link LocalQueue#pushBackOrOverflow} against {@link LocalQueue#stealInto}.
 *
 * <p>A queue of capacity 4 holds tasks 1..4; the owner pushes task 5 and the thief steals once.
 * With no steal in flight the owner claims the whole ring with one CAS of {@code head}, keeps
 * the older half {1, 2} in place and moves the newer half and the new task, {3, 4, 5}, to the
 * inject queue. While a thief's claim is in flight the ring's slots are still taken
 * ({@code tail - steal == capacity}), so the owner sends task 5 alone to the inject queue.
 * After the thief released its claim the ring has room and task 5 goes there.
 *
 * <p>Outcome: (mask of the tasks the thief got, mask of the tasks found in the inject queue,
 * mask of tasks lost, mask of tasks found twice); task {@code i} is bit {@code 1 << (i - 1)}.
 * Every task must end up exactly once in the thief's hands, the inject queue or the owner's
 * ring.
 *
 * <p>What the orderings buy: if the owner measured free space from {@code real} instead of from
 * {@code steal}, it would see room while the thief is still copying tasks 1 and 2 out and write
 * task 5 into slot 0 under it. The thief then either copies task 5 in place of task 1
 * ({@code 18, 0, 1, 0}: task 1 lost) or clears the slot after the owner wrote task 5 there
 * ({@code 3, 0, 16, 0}: task 5 lost); with that one comparison changed, both appear within
 * seconds. If the overflow took the ring without the CAS from {@code (real, real)}, the owner and
 * the thief would both take tasks 1 and 2.
 */
@JCStressTest
@Outcome(id = "1, 28, 0, 0", expect = ACCEPTABLE, desc = "Overflow first: {3, 4, 5} to the inject queue; the thief then took half of {1, 2}.")
@Outcome(id = "0, 28, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "Overflow first; the thief looked between the overflow's claim and its release of the older half, and saw an empty ring.")
@Outcome(id = "3, 16, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "The thief's claim of {1, 2} was in flight: task 5 alone went to the inject queue.")
@Outcome(id = "3, 0, 0, 0", expect = ACCEPTABLE, desc = "The thief took {1, 2} and released its claim first; task 5 fit in the ring.")
@Outcome(expect = FORBIDDEN, desc = "A task was lost or taken twice, or went to the wrong place.")
@State
public class LocalQueueOverflowVsStealTest {

    private final LocalQueue victim = new LocalQueue(4);
    private final LocalQueue thiefQueue = new LocalQueue(4);
    private final InjectQueue<Task> inject = new InjectQueue<>();
    private final WorkerMetrics ownerMetrics = new WorkerMetrics();
    private final WorkerMetrics thiefMetrics = new WorkerMetrics();
    private final Task incoming = new StressTask(5);
    private Task stolen;

    public LocalQueueOverflowVsStealTest() {
        for (int id = 1; id <= 4; id++) {
            victim.pushBackOrOverflow(new StressTask(id), inject, ownerMetrics);
        }
    }

    @Actor
    public void owner() {
        victim.pushBackOrOverflow(incoming, inject, ownerMetrics);
    }

    @Actor
    public void thief() {
        stolen = victim.stealInto(thiefQueue, thiefMetrics);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        final TaskLedger ledger = new TaskLedger(5);
        r.r1 = ledger.record(stolen) | ledger.recordAll(thiefQueue);
        r.r2 = ledger.recordAll(inject);
        ledger.recordAll(victim);
        r.r3 = ledger.lost();
        r.r4 = ledger.duplicated();
    }
}
