package io.spindle.rxjava;

import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.SchedulerRunnableIntrospection;
import io.spindle.core.SerialTask;
import java.util.concurrent.TimeUnit;

/**
 * A task of {@code Worker.schedulePeriodically}: each run is an ordinary task of the Worker's
 * mailbox (so it never overlaps with the Worker's other tasks), and when it returns it schedules
 * the next at the fixed rate {@link FixedRate} computes on the Worker's clock. This replaces
 * RxJava's default {@code PeriodicTask}, which re-enters {@code Worker.schedule} for every run
 * and so would pass each run through {@code RxJavaPlugins.onSchedule} again, on a pool thread;
 * here the hook sees the task once, when it is scheduled.
 *
 * <p>It stops for good when disposed, when its Worker is (or its scheduler's lifecycle ends),
 * and when a run throws: the error goes to {@code RxJavaPlugins.onError}, as with RxJava's
 * periodic tasks.
 *
 * <h2>Fields</h2>
 * <pre>
 *  disposed ── volatile; false → true, by dispose() or by the task itself.
 *  next     ── the Worker's handle of the next run; volatile. The run stores it, then re-reads
 *              disposed; dispose() stores disposed, then reads next: one of them sees the other.
 * </pre>
 */
final class PeriodicWorkerTask extends FixedRate implements Runnable, Disposable, SchedulerRunnableIntrospection {

    private final Runnable run;
    private final SpindleRxWorker worker;
    private volatile boolean disposed;
    private volatile SerialTask next;

    PeriodicWorkerTask(Runnable run, SpindleRxWorker worker, long firstNowNanos, long initialDelayNanos, long periodNanos) {
        super(firstNowNanos, initialDelayNanos, periodNanos);
        this.run = run;
        this.worker = worker;
    }

    @Override
    public void run() {
        if (disposed) {
            return;
        }
        try {
            run.run();
        } catch (Throwable error) {
            disposed = true;
            RxErrors.report(error);
            return;
        }
        if (!disposed) {
            arm(nextDelayNanos(worker.now(TimeUnit.NANOSECONDS)));
        }
    }

    /** Schedules the next run on the Worker; false (and the task stops) if the Worker rejects it. */
    boolean arm(long delayNanos) {
        final SerialTask scheduled = worker.scheduleInternal(this, delayNanos);
        if (scheduled == null) {
            disposed = true;
            return false;
        }
        next = scheduled;
        if (disposed) {
            scheduled.dispose();
        }
        return true;
    }

    @Override
    public void dispose() {
        disposed = true;
        final SerialTask scheduled = next;
        if (scheduled != null) {
            scheduled.dispose();
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed || worker.isDisposed();
    }

    @Override
    public Runnable getWrappedRunnable() {
        return run;
    }

    @Override
    public String toString() {
        return "SpindleRxScheduler.PeriodicWorkerTask[" + (isDisposed() ? "disposed" : "active") + ", run=" + run + "]";
    }
}
