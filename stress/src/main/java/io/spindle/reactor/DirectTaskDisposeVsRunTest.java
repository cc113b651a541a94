package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZZ_Result;

/**
 * A direct task's run, on a pool thread, against {@code dispose()} from another thread (see
 * {@link DirectRun}): the start of the run (IDLE → RUNNING) and the dispose (IDLE → DONE, or
 * RUNNING → INTERRUPTING → interrupt → DONE) are CASes on one state word, so the dispose either
 * stops the task before it starts or interrupts the run; and the run, if a dispose won its end,
 * waits for the interrupt to be delivered before it returns, so the interrupt lands inside the
 * run and never on whatever the thread does next.
 *
 * <p>Outcome: (an interrupt was pending on the running thread before the run, which would be one
 * delivered after an earlier run had returned; the task body ran; the thread was interrupted
 * when the run returned; the handle reports disposed at the end).
 */
@JCStressTest
@Outcome(id = "false, false, false, true", expect = ACCEPTABLE, desc = "The dispose came first: the task never ran.")
@Outcome(id = "false, true, false, true", expect = ACCEPTABLE, desc = "The run came first and ended before the dispose looked: nothing to interrupt.")
@Outcome(id = "false, true, true, true", expect = ACCEPTABLE, desc = "Disposed during the run: interrupted, and the interrupt was delivered before run() returned.")
@Outcome(id = "false, false, true, true", expect = FORBIDDEN, desc = "Interrupted although the task never ran: the interrupt hit a thread that was not running it.")
@Outcome(expect = FORBIDDEN, desc = "An interrupt arrived after a run had returned, or the handle is not disposed.")
@State
public class DirectTaskDisposeVsRunTest {

    private boolean ran;
    private final DirectTask task = new DirectTask(() -> ran = true, ReactorStress.LIVE);

    @Actor
    public void poolThread(ZZZZ_Result r) {
        r.r1 = Thread.interrupted();
        task.run();
        r.r3 = Thread.interrupted();
        r.r2 = ran;
    }

    @Actor
    public void disposer() {
        task.dispose();
    }

    @Arbiter
    public void arbiter(ZZZZ_Result r) {
        r.r4 = task.isDisposed();
    }
}
