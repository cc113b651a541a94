package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The idle protocol's lost wake-up race, at the level of {@link Idle}'s methods: a submitter
 * that skips the wake-up because it sees a searcher, against that searcher parking.
 *
 * <p>Two workers: B is parked, A is the only searcher. The submitter pushes a task to the inject
 * queue and then does what {@link WorkStealingPool#notifyParked()} does before picking a
 * sleeper: {@link Idle#snapshotForNotify()} and {@link Idle#tryReserveWake} until it has
 * reserved a wake-up or learnt that nobody needs one. A, having found nothing, parks as
 * {@code Worker.park()} does: {@link Idle#transitionToParked}{@code (true)}, and as the last
 * searcher re-scans ({@code !inject.isEmpty()}). Outcome: (the submitter reserved a wake-up,
 * the parker saw the task).
 *
 * <p>{@code false, false} is the lost wake-up: the task sits in the queue with both workers
 * asleep. It is impossible because the submitter's snapshot and the parker's decrement are both
 * read-modify-writes of the one state word, so they are totally ordered: if the snapshot comes
 * first the submitter sees A searching and skips, but its queue store happens-before A's
 * decrement and so before A's re-scan, which sees the task; if the decrement comes first the
 * submitter sees nobody searching and wakes B. Without the re-scan, {@code false, false} is
 * what happens whenever the snapshot comes first: {@link IdleParkWithoutRescanLosesWakeup} runs
 * exactly that and reports it. Without the read-modify-write (a plain volatile read of the
 * word) the submitter's read may pass its own queue store, which only a release store
 * publishes: {@link IdleNotifyWithPlainReadLosesWakeup}.
 */
@JCStressTest
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "A parked first: the submitter saw nobody searching and reserved a wake-up for B.")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "The submitter saw A searching and skipped; A's re-scan found the task.")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Both: A parked first and then also saw the task (a possibly redundant wake-up).")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "Lost wake-up: nobody woke, and the task is stranded.")
@State
public class IdleParkVsNotifyTest {

    private final IdleRace race = new IdleRace();

    @Actor
    public void submitter(ZZ_Result r) {
        r.r1 = race.submitAndNotify();
    }

    @Actor
    public void lastSearcherParks(ZZ_Result r) {
        r.r2 = race.parkAndRescan();
    }
}
