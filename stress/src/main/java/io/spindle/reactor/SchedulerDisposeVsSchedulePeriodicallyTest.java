package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.Future;
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
 * {@code SpindleScheduler.schedulePeriodically} against {@code SpindleScheduler.dispose()} from
 * another thread, on a scheduler wrapping the shared pool (so the dispose stops the scheduler's
 * periodic tasks and leaves the pool alone). Three protocols in a row: the dispose's CAS of the
 * lifecycle's {@code disposed} (see {@link Lifecycle}) and the schedule's check of it; the
 * registration of the task in the scheduler's {@link PeriodicRegistry} against the registry's
 * dispose; and the arming of the task's fixed-rate pool timer against the task's dispose
 * ({@link DirectRun#armed}). Whatever the interleaving, the schedule is rejected or the task ends
 * disposed with its timer cancelled: a periodic task accepted by a scheduler that is being
 * disposed never keeps ticking.
 *
 * <p>Outcome: (the schedule was rejected; the task's pool timer: 0 none, 1 cancelled, 2 still
 * armed; the handle reports disposed).
 */
@JCStressTest
@Outcome(id = "true, 0, false", expect = ACCEPTABLE, desc = "Rejected: the dispose came first, or disposed the task as it registered.")
@Outcome(id = "false, 1, true", expect = ACCEPTABLE, desc = "Accepted, then stopped by the dispose: timer cancelled.")
@Outcome(id = {"false, 2, true", "false, 2, false"}, expect = FORBIDDEN, desc = "The periodic task of a disposed scheduler is still armed.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen.")
@State
public class SchedulerDisposeVsSchedulePeriodicallyTest {

    private final SpindleScheduler scheduler = SpindleScheduler.wrap(ReactorStress.POOL);
    private Disposable handle;

    @Actor
    public void schedule(ZIZ_Result r) {
        try {
            handle = scheduler.schedulePeriodically(() -> { }, ReactorStress.NEVER_HOURS, ReactorStress.NEVER_HOURS, TimeUnit.HOURS);
        } catch (RejectedExecutionException rejected) {
            r.r1 = true;
        }
    }

    @Actor
    public void disposer() {
        scheduler.dispose();
    }

    @Arbiter
    public void arbiter(ZIZ_Result r) {
        if (handle != null) {
            final Future<?> timer = DirectRunRace.timer((DirectRun) handle);
            r.r2 = timer == null ? 0 : timer.isCancelled() ? 1 : 2;
            r.r3 = handle.isDisposed();
        }
    }
}
