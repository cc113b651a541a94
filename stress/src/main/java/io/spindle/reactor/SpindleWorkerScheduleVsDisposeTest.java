package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.spindle.core.SerialTaskProbe;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;
import reactor.core.Disposable;

/**
 * {@code Worker.schedule(task)} against {@code Worker.dispose()} from another thread, on the
 * shared pool (see {@link SpindleWorker}). The schedule checks the Worker's disposed flag, and
 * the mailbox's {@code offer} checks it again; the dispose sets the flag, and the drain, which
 * the pool runs, throws away every task it takes once the flag is set. So the task is rejected
 * (the schedule throws Reactor's rejection), or accepted and then either run (its drain started
 * before the dispose) or thrown away: never left runnable and untracked, queued with no drain
 * to run it or discard it, and never with a handle that does not report disposed once the
 * Worker is.
 *
 * <p>The drain runs on the pool asynchronously: the arbiter waits (at most
 * {@value #SETTLE_SECONDS} s, far more than a drain of one task takes even on a loaded machine)
 * for the accepted task to reach a final state. Outcome: (the schedule was rejected; the task
 * ran; it was left pending, or its handle does not report disposed).
 */
@JCStressTest
@Outcome(id = "true, false, false", expect = ACCEPTABLE, desc = "Disposed first: the schedule was rejected.")
@Outcome(id = "false, true, false", expect = ACCEPTABLE, desc = "Accepted, and its drain ran it before it saw the dispose.")
@Outcome(id = "false, false, false", expect = ACCEPTABLE, desc = "Accepted, then thrown away by the drain (or cancelled by the dispose).")
@Outcome(id = {"false, false, true", "false, true, true"}, expect = FORBIDDEN, desc = "Accepted and left pending, or its handle does not report disposed.")
@Outcome(expect = FORBIDDEN, desc = "A rejected task ran.")
@State
public class SpindleWorkerScheduleVsDisposeTest {

    static final long SETTLE_SECONDS = 10;

    private static final Lifecycle LIFECYCLE = ReactorStress.lifecycle();

    private final SpindleWorker worker = ReactorStress.worker(LIFECYCLE);
    private volatile boolean ran;
    private Disposable handle;

    @Actor
    public void scheduler(ZZZ_Result r) {
        try {
            handle = worker.schedule(() -> ran = true);
        } catch (RejectedExecutionException rejected) {
            r.r1 = true;
        }
    }

    @Actor
    public void disposer() {
        worker.dispose();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        if (handle != null) {
            final WorkerTask task = (WorkerTask) handle;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
            while (!SerialTaskProbe.settled(task) && System.nanoTime() - deadline < 0) {
                Thread.yield();
            }
            r.r3 = !SerialTaskProbe.settled(task) || !task.isDisposed();
        }
        r.r2 = ran;
    }
}
