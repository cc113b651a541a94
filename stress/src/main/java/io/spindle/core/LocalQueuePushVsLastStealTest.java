package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

/**
 * A push onto a queue that looks non-empty, against the thief that empties it and parks: the
 * race behind {@link LocalQueue#pushBackOrOverflow}'s rule that such a push tells nobody.
 *
 * <p>The owner's queue holds task 1; the thief, the only searcher, steals and then parks as the
 * last searcher with a re-scan ({@link LocalPushRace}). The owner pushes task 2 and wakes
 * somebody if the push says so. Outcome: (the owner reserved a wake-up, the thief's re-scan saw
 * work, task 2 is still in the owner's queue at the end).
 *
 * <p>Task 2 always stays queued (the thief takes half of what it sees, task 1), so somebody must
 * learn of it: {@code false, false, true} is the lost wake-up that stranded 22 tasks behind a
 * blocked worker in {@code WorkStealingPoolStuckWorkerTest}. It is impossible because the
 * owner re-reads head after publishing, behind a full fence, and the thief's re-scan is behind
 * a fence too: if the owner's re-read misses the thief's claim, the claim (and so the re-scan)
 * comes after the owner's publication in the fences' total order, and the re-scan sees task 2.
 * Judging emptiness before publishing, as the pool once did, loses it:
 * {@link LocalQueuePushJudgedEarlyLosesWakeup}.
 */
@JCStressTest
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "The owner saw task 1 queued and told nobody; the thief's re-scan found task 2.")
@Outcome(id = "true, true, true", expect = ACCEPTABLE, desc = "The owner saw the queue emptied and, the thief having parked, reserved a wake-up; the re-scan saw task 2 too.")
@Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "The thief parked before task 2 was visible; the owner saw the queue emptied and reserved a wake-up.")
@Outcome(id = "false, false, true", expect = FORBIDDEN, desc = "Lost wake-up: task 2 is queued, nobody was woken and the re-scan missed it.")
@Outcome(expect = FORBIDDEN, desc = "Task 2 left the owner's queue: the thief cannot take more than half of what it sees.")
@State
public class LocalQueuePushVsLastStealTest {

    private final LocalPushRace race = new LocalPushRace();

    @Actor
    public void owner(ZZZ_Result r) {
        r.r1 = race.pushAndMaybeNotify();
    }

    @Actor
    public void thief(ZZZ_Result r) {
        r.r2 = race.stealThenParkAndRescan();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r3 = race.secondStillQueued();
    }
}
