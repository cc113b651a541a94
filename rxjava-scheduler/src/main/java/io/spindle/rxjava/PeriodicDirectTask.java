package io.spindle.rxjava;

import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.SchedulerRunnableIntrospection;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A task of {@code schedulePeriodicallyDirect}: a one-shot pool timer that schedules the next
 * one when its run returns, at the fixed rate {@link FixedRate} computes (RxJava's
 * {@code PeriodicDirectTask} over {@code PeriodicTask}, without the Worker). Runs therefore
 * never overlap, and each costs one pool timer entry.
 *
 * <p>It stops for good when disposed, when a run throws (the error goes to
 * {@code RxJavaPlugins.onError}, as RxJava's periodic tasks do), when its scheduler's lifecycle
 * ends (checked before each run) and when the pool rejects the next timer.
 *
 * <h2>Fields</h2>
 * <pre>
 *  disposed ── volatile; false → true, by dispose() or by the task itself.
 *  timer    ── the pool timer of the next run; volatile. The run stores the new timer, then
 *              re-reads disposed; dispose() stores disposed, then reads timer: one of them sees
 *              the other, so a dispose racing the re-arming cancels the new timer.
 * </pre>
 */
final class PeriodicDirectTask extends FixedRate implements Runnable, Disposable, SchedulerRunnableIntrospection {

    private final Runnable run;
    private final Lifecycle lifecycle;
    private final SpindleRxScheduler scheduler;
    private volatile boolean disposed;
    private volatile Future<?> timer;

    PeriodicDirectTask(Runnable run, Lifecycle lifecycle, SpindleRxScheduler scheduler, long firstNowNanos, long initialDelayNanos, long periodNanos) {
        super(firstNowNanos, initialDelayNanos, periodNanos);
        this.run = run;
        this.lifecycle = lifecycle;
        this.scheduler = scheduler;
    }

    @Override
    public void run() {
        if (disposed || lifecycle.shutdown) {
            disposed = true;
            return;
        }
        try {
            run.run();
        } catch (Throwable error) {
            disposed = true;
            RxErrors.report(error);
            return;
        }
        if (disposed) {
            return;
        }
        arm(nextDelayNanos(scheduler.now(TimeUnit.NANOSECONDS)));
    }

    /** Schedules the next run; false (and the task stops) if the pool rejects it. */
    boolean arm(long delayNanos) {
        final Future<?> next;
        try {
            next = lifecycle.pool.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shutDown) {
            disposed = true;
            return false;
        }
        timer = next;
        if (disposed) {
            next.cancel(false);
        }
        return true;
    }

    @Override
    public void dispose() {
        disposed = true;
        final Future<?> armed = timer;
        if (armed != null) {
            armed.cancel(false);
        }
    }

    @Override
    public boolean isDisposed() {
        if (disposed) {
            return true;
        }
        final Future<?> armed = timer;
        return armed != null && armed.isCancelled();
    }

    @Override
    public Runnable getWrappedRunnable() {
        return run;
    }

    @Override
    public String toString() {
        return "SpindleRxScheduler.PeriodicDirectTask[" + (isDisposed() ? "disposed" : "active") + ", run=" + run + "]";
    }
}
