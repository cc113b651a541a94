package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

/**
 * The scheduling thread storing a delayed task's pool timer ({@link DirectRun#armed}) against
 * {@code dispose()} from another thread: {@code armed} stores {@code timer}, then re-reads the
 * state; {@code dispose()} CASes the state to DONE, then reads {@code timer}. Both volatile, so
 * at least one of them sees the other, and a dispose racing the arming still removes the timer.
 * Left armed, a disposed task's timer would stay in the wheel until due (and a periodic one
 * would tick for good, each tick finding the task DONE).
 *
 * <p>Outcome: (the handle reports disposed, how many times the timer was cancelled: once when
 * one side saw the other, twice when both did, which is harmless).
 */
@JCStressTest
@Outcome(id = "true, 1", expect = ACCEPTABLE, desc = "One side saw the other and cancelled the timer.")
@Outcome(id = "true, 2", expect = ACCEPTABLE, desc = "Both saw each other: cancelled twice, harmlessly.")
@Outcome(id = "true, 0", expect = FORBIDDEN, desc = "The timer of a disposed task was left armed.")
@Outcome(expect = FORBIDDEN, desc = "The handle does not report disposed.")
@State
public class DirectTaskArmedVsDisposeTest {

    private final DirectTask task = new DirectTask(() -> { }, ReactorStress.LIVE);
    private final CancelCountingFuture timer = new CancelCountingFuture();

    @Actor
    public void scheduler() {
        task.armed(timer);
    }

    @Actor
    public void disposer() {
        task.dispose();
    }

    @Arbiter
    public void arbiter(ZI_Result r) {
        r.r1 = task.isDisposed();
        r.r2 = timer.cancels();
    }
}
