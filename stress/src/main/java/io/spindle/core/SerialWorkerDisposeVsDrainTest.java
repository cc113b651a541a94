package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

/**
 * A serial worker's {@link SerialWorker#dispose()} from another thread against its drain taking
 * the next task, with {@code interruptOnCancel} (the Reactor adapter's Workers). The contract:
 * once {@code dispose()} has returned, a task that had not started never will, and a task that
 * had started has been interrupted and reports disposed. Both sides look at the other: the drain
 * publishes the task it is about to run ({@code running}) and then reads {@code disposed};
 * {@code dispose()} sets {@code disposed} and then reads {@code running}, cancelling what it
 * finds. Both are volatile, so at least one sees the other: the drain throws the task away, or
 * {@code dispose()} cancels it (before its start: it never runs; during its run: interrupt).
 *
 * <p>The task's body waits until {@code dispose()} has returned, then looks at its own state.
 * Outcome: (an interrupt was pending on the drain thread before the drain started, which would
 * be one leaked from an earlier run; the task ran; when {@code dispose()} had returned the run
 * was still plainly RUNNING: neither interrupted nor marked disposed).
 *
 * <p>The last is the bug this test was written for: a drain that read {@code disposed} before
 * publishing {@code running} could pass its check, lose the processor, let a whole
 * {@code dispose()} go by (which found nothing running), and then start the task: a task of a
 * disposed Worker running after {@code dispose()} returned, uninterrupted.
 */
@JCStressTest
@Outcome(id = "false, false, false", expect = ACCEPTABLE, desc = "The dispose came first: the task never ran.")
@Outcome(id = "false, true, false", expect = ACCEPTABLE, desc = "The task had started: the dispose interrupted it.")
@Outcome(id = "false, true, true", expect = FORBIDDEN, desc = "The task ran on after dispose() returned, neither interrupted nor disposed.")
@Outcome(expect = FORBIDDEN, desc = "An interrupt leaked past the end of a run.")
@State
public class SerialWorkerDisposeVsDrainTest {

    private final SerialWorkerRace race = new SerialWorkerRace(true);
    private volatile boolean disposeReturned;
    private boolean ran;
    private boolean missed;
    private final SerialTask task = new SerialTask(this::body);

    public SerialWorkerDisposeVsDrainTest() {
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
    public void drain(ZZZ_Result r) {
        r.r1 = Thread.interrupted();
        race.worker.run();
        r.r2 = ran;
        r.r3 = missed;
    }

    @Actor
    public void disposer() {
        race.worker.dispose();
        disposeReturned = true;
    }
}
