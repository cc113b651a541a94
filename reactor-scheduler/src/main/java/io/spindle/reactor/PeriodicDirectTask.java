package io.spindle.reactor;

import java.util.concurrent.RejectedExecutionException;

/**
 * A periodic direct task ({@code Scheduler.schedulePeriodically}), in one of Reactor's two
 * shapes (reactor-core {@code Schedulers.directSchedulePeriodically}):
 * <ul>
 *   <li><b>period &gt; 0</b>: the command of one pool fixed-rate timer
 *       ({@link io.spindle.core.WorkStealingPool#scheduleAtFixedRate}): run {@code k} is due at
 *       {@code initialDelay + k·period}; runs never overlap (a late run makes the following
 *       ones late, and those due meanwhile run back to back, as with
 *       {@code ScheduledThreadPoolExecutor}); one timer entry for the task's whole life. A run
 *       that throws is reported and the schedule is kept, as Reactor's
 *       {@code PeriodicSchedulerTask} does: the pool never sees the throwable.
 *   <li><b>period &le; 0</b>, Reactor's {@code InstantPeriodicWorkerTask}: after
 *       {@code initialDelay}, the task runs, and each time it returns it is submitted to the
 *       pool again at once; a run that throws is reported and stops the task.
 * </ul>
 * The task stops when disposed, when its scheduler is (it is registered in the scheduler's
 * {@link PeriodicRegistry}, and leaves it when it stops) and when the pool shuts down (the pool
 * cancels its timer, or rejects the resubmission). See {@link DirectRun} for the states,
 * interrupts and fields.
 */
final class PeriodicDirectTask extends DirectRun {

    private final Lifecycle lifecycle;
    private final boolean instant;

    PeriodicDirectTask(Runnable task, Lifecycle lifecycle, boolean instant) {
        super(task);
        this.lifecycle = lifecycle;
        this.instant = instant;
    }

    @Override
    public void run() {
        if (!startRun()) {
            return;
        }
        final boolean returned = runOnce();
        if (!endRun(IDLE) || !instant) {
            return;
        }
        if (!returned) {
            dispose();
            return;
        }
        try {
            lifecycle.pool.execute(this);
        } catch (RejectedExecutionException shutDown) {
            dispose();
        }
    }

    @Override
    void stopped() {
        lifecycle.periodic.remove(this);
    }

    @Override
    public String toString() {
        return "SpindleScheduler.PeriodicDirectTask[" + status() + (instant ? ", instant" : "") + ", task=" + task + "]";
    }
}
