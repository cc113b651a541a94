package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * {@link DirectTaskArmedVsDisposeTest} with the re-read of the state after storing the timer
 * removed ({@link DirectRunRace#armedWithoutRecheck}): the negative control that shows the
 * re-read is what removes the timer of a task disposed while it was being armed. Same task, same
 * disposer. Outcome: how many times the timer was cancelled (only the dispose can, here).
 *
 * <p>Whenever the dispose reads {@code timer} before the scheduling thread stores it, nobody
 * cancels the timer: 0, which {@link DirectTaskArmedVsDisposeTest} forbids. Marked interesting
 * rather than forbidden, so the suite passes while showing that it happens.
 */
@JCStressTest
@Outcome(id = "1", expect = ACCEPTABLE, desc = "The dispose found the timer and cancelled it.")
@Outcome(id = "0", expect = ACCEPTABLE_INTERESTING, desc = "Timer left armed, as expected without the re-read: the dispose looked before the store.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen: only the dispose cancels.")
@State
public class DirectTaskArmedWithoutRecheckLosesTimer {

    private final DirectTask task = new DirectTask(() -> { }, ReactorStress.LIVE);
    private final CancelCountingFuture timer = new CancelCountingFuture();

    @Actor
    public void scheduler() {
        DirectRunRace.armedWithoutRecheck(task, timer);
    }

    @Actor
    public void disposer() {
        task.dispose();
    }

    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = timer.cancels();
    }
}
