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
 * A queued {@link SerialTask}'s run, as the drain starts it, against {@code cancel(false)}: both
 * are CASes out of QUEUED and exactly one wins. Outcome: (the task body ran, cancel returned
 * true, the handle reports disposed afterwards).
 *
 * <p>Never both (a cancel that "succeeded" for a task that ran anyway), never neither (a task
 * that neither ran nor was cancelled), and the handle is disposed either way once both are done.
 */
@JCStressTest
@Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "The run started first; the cancel failed.")
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "The cancel came first; the task never ran.")
@Outcome(expect = FORBIDDEN, desc = "Both, neither, or not disposed at the end.")
@State
public class SerialTaskCancelVsRunTest {

    private boolean ran;
    private final SerialTask task = SerialMailboxRace.queued(() -> ran = true);

    @Actor
    public void drain() {
        if (task.startRun()) {
            task.task().run();
            task.endRun();
        }
    }

    @Actor
    public void canceller(ZZZ_Result r) {
        r.r2 = task.cancel(false);
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r1 = ran;
        r.r3 = task.isDisposed();
    }
}
