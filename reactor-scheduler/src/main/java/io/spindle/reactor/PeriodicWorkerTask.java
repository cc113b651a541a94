package io.spindle.reactor;

import io.spindle.core.SerialTask;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * A task of {@code Worker.schedulePeriodically}: each run is an ordinary task of the Worker's
 * mailbox, so it never overlaps with the Worker's other tasks or with itself, and when it
 * returns it schedules the next one. {@code Schedulers.onSchedule} has seen the task once, when
 * it was scheduled; the runs are internal and are not decorated again.
 *
 * <p>Two shapes, as in Reactor ({@code Schedulers.workerSchedulePeriodically}):
 * <ul>
 *   <li><b>period &gt; 0</b>, fixed rate: run {@code k} is due at
 *       {@code start + initialDelay + k·period} on {@link System#nanoTime()}; a late run makes
 *       the following ones late, and those that fell due meanwhile run back to back, as with
 *       {@code ScheduledThreadPoolExecutor.scheduleAtFixedRate}. A run that throws is reported
 *       through {@code Schedulers.onHandleError} and the schedule is kept, as Reactor's
 *       {@code PeriodicWorkerTask} does.
 *   <li><b>period &le; 0</b>, Reactor's {@code InstantPeriodicWorkerTask}: each run, when it
 *       returns, schedules the next with no delay (behind whatever the Worker has queued
 *       meanwhile); a run that throws is reported and stops the task.
 * </ul>
 * It stops for good when disposed (a running run, disposed from another thread, is
 * interrupted), when its Worker or scheduler is disposed (it is registered in the Worker's
 * {@link PeriodicRegistry}), and when the Worker rejects the next run.
 *
 * <h2>Fields</h2>
 * <pre>
 *  nextDeadline ── plain; written by the run that schedules the next one (or by the scheduling
 *                  thread before the first), and read by the next run: the mailbox hand-over
 *                  publishes it, and runs never overlap.
 *  disposed     ── volatile; false → true, by dispose().
 *  current      ── the Worker's handle of the pending or running run; volatile. The run
 *                  stores the new one, then re-reads disposed; dispose() stores disposed, then
 *                  reads current: one of them sees the other, so a dispose racing the
 *                  re-arming still cancels the new run.
 * </pre>
 */
final class PeriodicWorkerTask implements Runnable, Disposable {

    private final Runnable task;
    private final SpindleWorker worker;
    private final long periodNanos;
    private long nextDeadline;
    private volatile boolean disposed;
    private volatile SerialTask current;

    /**
     * @param initialDeadline the {@link System#nanoTime()} of the first run
     * @param periodNanos the period; zero or less for Reactor's instant shape
     */
    PeriodicWorkerTask(Runnable task, SpindleWorker worker, long initialDeadline, long periodNanos) {
        this.task = task;
        this.worker = worker;
        this.periodNanos = periodNanos;
        this.nextDeadline = initialDeadline;
    }

    @Override
    public void run() {
        if (disposed) {
            return;
        }
        boolean returned;
        try {
            task.run();
            returned = true;
        } catch (Throwable error) {
            ReactorErrors.report(error);
            returned = false;
        }
        if (disposed) {
            return;
        }
        if (periodNanos <= 0) {
            if (!returned) {
                dispose();
                return;
            }
            arm(0);
        } else {
            nextDeadline += periodNanos;
            arm(nextDeadline - System.nanoTime());
        }
    }

    /**
     * Schedules the next run on the Worker, no earlier than {@code delayNanos} from now.
     *
     * @return false (and the task is disposed) if the Worker rejects it
     */
    boolean arm(long delayNanos) {
        final SerialTask next = worker.scheduleRun(this, delayNanos);
        if (next == null) {
            dispose();
            return false;
        }
        current = next;
        if (disposed) {
            next.dispose();
        }
        return true;
    }

    @Override
    public void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        final SerialTask scheduled = current;
        if (scheduled != null) {
            scheduled.dispose();
        }
        worker.periodicStopped(this);
    }

    @Override
    public boolean isDisposed() {
        return disposed || worker.isDisposed();
    }

    @Override
    public String toString() {
        return "SpindleScheduler.PeriodicWorkerTask[" + (isDisposed() ? "disposed" : "active")
                + (periodNanos <= 0 ? ", instant" : "") + ", task=" + task + "]";
    }
}
