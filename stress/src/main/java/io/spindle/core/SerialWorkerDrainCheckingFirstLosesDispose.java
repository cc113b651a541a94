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
 * {@link SerialWorkerDisposeVsDrainTest} with the drain's two steps in the other order: it reads
 * {@code disposed}, then publishes {@code running} ({@link SerialWorkerRace#drainCheckingBeforePublishing}).
 * The negative control that shows the order is what makes {@code dispose()} see every task it
 * must stop. Same start (one queued task on an interrupting worker), same disposer, same body
 * (it waits until {@code dispose()} has returned, then looks at its own state). Outcome: (the
 * task ran; when {@code dispose()} had returned the run was still plainly RUNNING).
 *
 * <p>Whenever the drain's read of {@code disposed} comes before the dispose and its store of
 * {@code running} after the dispose's read of it, neither sees the other: the task starts after
 * the dispose and is never interrupted, {@code true, true}, which
 * {@link SerialWorkerDisposeVsDrainTest} forbids. This was {@link SerialWorker}'s order until
 * that test caught it. Marked interesting rather than forbidden, so the suite passes while
 * showing that it happens.
 */
@JCStressTest
@Outcome(id = "false, false", expect = ACCEPTABLE, desc = "The dispose came first: the task never ran.")
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The task had started: the dispose interrupted it.")
@Outcome(id = "true, true", expect = ACCEPTABLE_INTERESTING, desc = "Missed, as expected with this order: the task ran on after dispose() returned, uninterrupted.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen.")
@State
public class SerialWorkerDrainCheckingFirstLosesDispose {

    private final SerialWorkerRace race = new SerialWorkerRace(true);
    private volatile boolean disposeReturned;
    private boolean ran;
    private boolean missed;
    private final SerialTask task = new SerialTask(this::body);

    public SerialWorkerDrainCheckingFirstLosesDispose() {
        race.queue(task);
    }

    private void body() {
        ran = true;
        while (!disposeReturned) {
            Thread.onSpinWait();
        }
        missed = task.state() == SerialTask.RUNNING;
    }

    @Actor
    public void drain(ZZ_Result r) {
        race.drainCheckingBeforePublishing();
        r.r1 = ran;
        r.r2 = missed;
    }

    @Actor
    public void disposer() {
        race.worker.dispose();
        disposeReturned = true;
    }
}
