package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * {@link SerialWorkerDisposeVsDrainTest} for a worker created without
 * {@code interruptOnCancel} (the RxJava adapter's Workers). {@code dispose()} never interrupts
 * here, but the contract is the same: once it has returned, a task that had not started never
 * will. For that {@code dispose()} sets {@code disposed}, then reads {@code running} and cancels
 * what it finds without interrupting: a task that has not started never does, a running one is
 * marked disposed (DISPOSED) and goes on; the drain publishes {@code running}, then reads
 * {@code disposed}. A task {@code dispose()} did not see is therefore one the drain will throw
 * away, and a task the drain starts after {@code dispose()} returned cannot exist.
 *
 * <p>The task's body waits until {@code dispose()} has returned, then looks at its own state.
 * Outcome: (the task ran; when {@code dispose()} had returned the run was still plainly
 * RUNNING, so the dispose had not seen it and the drain had not seen the dispose: the window in
 * which a task starts after {@code dispose()} returned).
 */
@JCStressTest
@Outcome(id = "false, false", expect = ACCEPTABLE, desc = "The dispose came first: the task never ran.")
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The task had started: the dispose marked it disposed and let it run.")
@Outcome(id = "true, true", expect = FORBIDDEN, desc = "The dispose did not see the task, and the drain did not see the dispose.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen.")
@State
public class SerialWorkerQuietDisposeVsDrainTest {

    private final SerialWorkerRace race = new SerialWorkerRace(false);
    private volatile boolean disposeReturned;
    private boolean ran;
    private boolean unseen;
    private final SerialTask task = new SerialTask(this::body);

    public SerialWorkerQuietDisposeVsDrainTest() {
        race.queue(task);
    }

    private void body() {
        ran = true;
        while (!disposeReturned) {
            Thread.onSpinWait();
        }
        unseen = task.state() == SerialTask.RUNNING;
    }

    @Actor
    public void drain(ZZ_Result r) {
        race.worker.run();
        r.r1 = ran;
        r.r2 = unseen;
    }

    @Actor
    public void disposer() {
        race.worker.dispose();
        disposeReturned = true;
    }
}
