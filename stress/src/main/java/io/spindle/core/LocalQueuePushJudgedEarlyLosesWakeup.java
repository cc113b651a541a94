package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

/**
 * The control for {@link LocalQueuePushVsLastStealTest}: the same race with the owner deciding
 * whether its push made the queue non-empty from a load taken before publishing the task, with
 * no re-check afterwards. The thief can claim task 1 and finish its re-scan between that load
 * and the publication: {@code false, false, true}, task 2 stranded with nobody coming for it.
 */
@JCStressTest
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "The owner saw task 1 queued and told nobody; the thief's re-scan found task 2.")
@Outcome(id = "true, true, true", expect = ACCEPTABLE, desc = "The owner saw the queue emptied first and reserved a wake-up; the re-scan saw task 2 too.")
@Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "The owner saw the queue emptied first and reserved a wake-up.")
@Outcome(id = "false, false, true", expect = ACCEPTABLE_INTERESTING, desc = "Lost wake-up, as expected when emptiness is judged before publishing.")
@Outcome(expect = FORBIDDEN, desc = "Task 2 left the owner's queue: the thief cannot take more than half of what it sees.")
@State
public class LocalQueuePushJudgedEarlyLosesWakeup {

    private final LocalPushRace race = new LocalPushRace();

    @Actor
    public void owner(ZZZ_Result r) {
        r.r1 = race.pushJudgedEarly();
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
