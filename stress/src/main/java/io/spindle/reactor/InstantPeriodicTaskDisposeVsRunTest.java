package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * An instant periodic direct task (period zero: each run, when it returns, submits the task to
 * the pool again) against {@code dispose()} from another thread. The first run is the actor's;
 * the next ones run on the shared pool's thread, one after another, until the dispose stops
 * them. The state word goes IDLE → RUNNING → IDLE → RUNNING ... with each run on whichever
 * thread runs it, and {@code runner} names that thread.
 *
 * <p>The dispose must interrupt the thread of the run it stops, and no other: an interrupt that
 * reached the actor's thread after its run had returned would land on whatever that thread does
 * next. A dispose that read RUNNING and {@code runner} during the first run, and whose CAS
 * RUNNING → INTERRUPTING then landed on a later run (the state word alone does not say which
 * run is RUNNING), would do exactly that. That needs the disposing thread to stall between its
 * read of {@code runner} and its CAS for as long as a resubmission takes (preempted there), so
 * this test is unlikely to see it; what it checks every sample is that the resubmission loop
 * leaves the actor's thread alone once its run has returned.
 *
 * <p>Outcome: (an interrupt was pending on the actor's thread before its run, one delivered after
 * an earlier state's run had returned; the actor's run was interrupted when it returned).
 */
@JCStressTest
@Outcome(id = "false, false", expect = ACCEPTABLE, desc = "The dispose stopped the task before, between or during runs on the pool.")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "The dispose interrupted the actor's run.")
@Outcome(expect = FORBIDDEN, desc = "An interrupt reached the actor's thread after its run had returned.")
@State
public class InstantPeriodicTaskDisposeVsRunTest {

    private static final Lifecycle LIFECYCLE = ReactorStress.lifecycle();

    private final PeriodicDirectTask task = new PeriodicDirectTask(() -> { }, LIFECYCLE, true);

    @Actor
    public void firstRun(ZZ_Result r) {
        r.r1 = Thread.interrupted();
        task.run();
        r.r2 = Thread.interrupted();
    }

    @Actor
    public void disposer() {
        task.dispose();
    }
}
