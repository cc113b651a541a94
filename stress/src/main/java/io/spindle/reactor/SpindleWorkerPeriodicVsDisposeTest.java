package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.spindle.core.SerialTask;
import io.spindle.core.SerialTaskProbe;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZIZ_Result;
import reactor.core.Disposable;

/**
 * A Worker's first {@code schedulePeriodically} against {@code Worker.dispose()} from another
 * thread (see {@link SpindleWorker}, field {@code periodic}). The first periodic task makes the
 * Worker's registry (CAS from null) and registers it in the scheduler's, then reads the Worker's
 * disposed flag; {@code dispose()} sets that flag, then reads {@code periodic}. Both volatile, so
 * one of them sees the other and a registry made while the Worker is disposed leaves the
 * scheduler's registry again. Missed, it would stay there for the scheduler's whole life (a leak
 * per Worker, the per-subscription object of {@code Flux.interval}).
 *
 * <p>Outcome: (the schedule was rejected; registries left in the scheduler's registry; the
 * periodic task's first run, delayed by an hour, is still armed in the pool's timer).
 */
@JCStressTest
@Outcome(id = "true, 0, false", expect = ACCEPTABLE, desc = "Rejected: the Worker was disposed first, or disposed the new registry.")
@Outcome(id = "false, 0, false", expect = ACCEPTABLE, desc = "Accepted, then stopped by the dispose: registry gone, first run cancelled.")
@Outcome(id = {"true, 1, false", "false, 1, false"}, expect = FORBIDDEN, desc = "The disposed Worker's registry was left in the scheduler's.")
@Outcome(expect = FORBIDDEN, desc = "The first run of a stopped periodic task is still armed.")
@State
public class SpindleWorkerPeriodicVsDisposeTest {

    private final Lifecycle lifecycle = ReactorStress.lifecycle();
    private final SpindleWorker worker = ReactorStress.worker(lifecycle);
    private Disposable handle;

    @Actor
    public void scheduler(ZIZ_Result r) {
        try {
            handle = worker.schedulePeriodically(() -> { }, ReactorStress.NEVER_HOURS, ReactorStress.NEVER_HOURS, TimeUnit.HOURS);
        } catch (RejectedExecutionException rejected) {
            r.r1 = true;
        }
    }

    @Actor
    public void disposer() {
        worker.dispose();
    }

    @Arbiter
    public void arbiter(ZIZ_Result r) {
        r.r2 = lifecycle.periodic.size();
        if (handle != null) {
            final SerialTask next = SpindleWorkerRace.current((PeriodicWorkerTask) handle);
            r.r3 = next == null || !SerialTaskProbe.cancelled(next);
        }
    }
}
