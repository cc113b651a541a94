package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * {@link IdleParkVsNotifyTest} with the submitter reading the idle state with plain volatile
 * loads instead of {@link Idle#snapshotForNotify()}'s read-modify-write: the negative control
 * for that choice. The parker keeps its re-scan.
 *
 * <p>The inject queue publishes a push with release stores (its {@code len}, then its lock), and
 * a release store followed by a load of another variable may be reordered: store buffering,
 * which x86 does too. So the submitter can read the state before its task is visible, see A
 * still searching and skip, while A decrements, re-scans and finds the queue still empty:
 * {@code false, false}, the lost wake-up. A read-modify-write of the state word takes part in
 * the same total order as A's decrement, and when it comes first it synchronizes with that
 * decrement, which is what {@link IdleParkVsNotifyTest} relies on.
 */
@JCStressTest
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "A parked first: the submitter saw nobody searching.")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "The submitter saw A searching and skipped; A's re-scan found the task.")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Both saw each other.")
@Outcome(id = "false, false", expect = ACCEPTABLE_INTERESTING, desc = "Lost wake-up: the submitter's read passed its own queue store (store buffering).")
@State
public class IdleNotifyWithPlainReadLosesWakeup {

    private final IdleRace race = new IdleRace();

    @Actor
    public void submitter(ZZ_Result r) {
        r.r1 = race.submitAndNotifyWithPlainRead();
    }

    @Actor
    public void lastSearcherParks(ZZ_Result r) {
        r.r2 = race.parkAndRescan();
    }
}
