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
 * Two thieves steal from the same victim at once. A thief claims ⌈half⌉ with one CAS that moves
 * {@code real} and leaves {@code steal} behind, copies, then CASes {@code steal} up to
 * {@code real}; a thief that finds {@code steal != real} returns at once instead of waiting.
 *
 * <p>The victim holds tasks 1..4 and its owner is idle. Outcome: (mask of the tasks thief A got,
 * mask of the tasks thief B got, mask of tasks lost, mask of tasks found twice); task {@code i}
 * is bit {@code 1 << (i - 1)}. The first claim takes {1, 2}; the second, if it comes after the
 * first was released, takes ⌈2/2⌉ = {3}, and if it comes while the first is in flight it gives
 * up with tasks 3 and 4 still in the victim: the interesting outcome, the proof that a thief
 * does not wait for another.
 *
 * <p>What the orderings buy: without the claim CAS (a plain store of {@code head}) both thieves
 * would take {1, 2} ({@code 3, 3, 0, 3}). Without the in-flight check, a second thief would
 * claim behind the first and the first thief's release ({@code steal = real}) would also release
 * the second's claim, letting an owner overwrite slots still being copied; the in-flight give-up
 * keeps at most one claim outstanding, which is what every other ordering in
 * {@link LocalQueue} assumes.
 */
@JCStressTest
@Outcome(id = "3, 4, 0, 0", expect = ACCEPTABLE, desc = "A claimed {1, 2} and released; then B claimed half of the rest, {3}.")
@Outcome(id = "4, 3, 0, 0", expect = ACCEPTABLE, desc = "B claimed {1, 2} and released; then A claimed half of the rest, {3}.")
@Outcome(id = "3, 0, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "A's claim was in flight: B gave up at once, leaving {3, 4} in the victim.")
@Outcome(id = "0, 3, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "B's claim was in flight: A gave up at once, leaving {3, 4} in the victim.")
@Outcome(expect = FORBIDDEN, desc = "A task was lost or taken twice, or a thief took other than the oldest ⌈half⌉.")
@State
public class LocalQueueTwoThievesTest {

    private final LocalQueue victim = new LocalQueue(8);
    private final LocalQueue queueA = new LocalQueue(8);
    private final LocalQueue queueB = new LocalQueue(8);
    private final WorkerMetrics metricsA = new WorkerMetrics();
    private final WorkerMetrics metricsB = new WorkerMetrics();
    private Task stolenA;
    private Task stolenB;

    public LocalQueueTwoThievesTest() {
        final InjectQueue<Task> inject = new InjectQueue<>();
        final WorkerMetrics ownerMetrics = new WorkerMetrics();
        for (int id = 1; id <= 4; id++) {
            victim.pushBackOrOverflow(new StressTask(id), inject, ownerMetrics);
        }
    }

    @Actor
    public void thiefA() {
        stolenA = victim.stealInto(queueA, metricsA);
    }

    @Actor
    public void thiefB() {
        stolenB = victim.stealInto(queueB, metricsB);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        final TaskLedger ledger = new TaskLedger(4);
        r.r1 = ledger.record(stolenA) | ledger.recordAll(queueA);
        r.r2 = ledger.record(stolenB) | ledger.recordAll(queueB);
        ledger.recordAll(victim);
        r.r3 = ledger.lost();
        r.r4 = ledger.duplicated();
    }
}
