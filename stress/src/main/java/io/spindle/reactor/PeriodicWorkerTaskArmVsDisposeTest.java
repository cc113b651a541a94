package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.spindle.core.SerialTask;
import io.spindle.core.SerialTaskProbe;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * A Worker's periodic task arming its next run ({@link PeriodicWorkerTask#arm}, what each run
 * does when it returns) against {@code dispose()} of the task from another thread. {@code arm}
 * schedules the run on the Worker, stores the handle in {@code current}, then re-reads
 * {@code disposed}; {@code dispose()} stores {@code disposed}, then reads {@code current}. Both
 * volatile, so one of them sees the other and the run armed during a dispose is cancelled: its
 * pool timer removed at once rather than left in the wheel until due (here, an hour).
 *
 * <p>Outcome: (the Worker accepted the run; the run is cancelled at the end).
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Armed and cancelled: one side saw the other.")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "The next run of a disposed periodic task was left armed.")
@Outcome(expect = FORBIDDEN, desc = "The live Worker rejected the run.")
@State
public class PeriodicWorkerTaskArmVsDisposeTest {

    private static final Lifecycle LIFECYCLE = ReactorStress.lifecycle();
    private static final long DELAY_NANOS = TimeUnit.HOURS.toNanos(ReactorStress.NEVER_HOURS);

    private final SpindleWorker worker = ReactorStress.worker(LIFECYCLE);
    private final PeriodicWorkerTask task = new PeriodicWorkerTask(() -> { }, worker, System.nanoTime() + DELAY_NANOS, DELAY_NANOS);

    @Actor
    public void run(ZZ_Result r) {
        r.r1 = task.arm(DELAY_NANOS);
    }

    @Actor
    public void disposer() {
        task.dispose();
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        final SerialTask next = SpindleWorkerRace.current(task);
        r.r2 = next != null && SerialTaskProbe.cancelled(next);
    }
}
