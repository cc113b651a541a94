package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * {@link IdleParkVsNotifyTest} with the last searcher's re-scan removed: the negative control
 * that shows the re-scan is what prevents the lost wake-up. Same start (B parked, A the only
 * searcher), same submitter; A parks with {@link Idle#transitionToParked}{@code (true)} and
 * looks at nothing. Outcome: (the submitter reserved a wake-up, the parker saw the task; always
 * false here).
 *
 * <p>Whenever the submitter's snapshot comes before A's decrement it sees A searching and skips
 * the wake-up, and with no re-scan nobody ever looks at the task: {@code false, false}, which
 * {@link IdleParkVsNotifyTest} forbids. It is marked interesting rather than forbidden so the
 * suite passes while showing, run after run, that it happens.
 */
@JCStressTest
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "A parked first: the submitter saw nobody searching and reserved a wake-up for B.")
@Outcome(id = "false, false", expect = ACCEPTABLE_INTERESTING, desc = "Lost wake-up, as expected without the re-scan: the submitter saw A searching and skipped.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen: the parker never looks.")
@State
public class IdleParkWithoutRescanLosesWakeup {

    private final IdleRace race = new IdleRace();

    @Actor
    public void submitter(ZZ_Result r) {
        r.r1 = race.submitAndNotify();
    }

    @Actor
    public void lastSearcherParks(ZZ_Result r) {
        r.r2 = race.parkWithoutRescan();
    }
}
