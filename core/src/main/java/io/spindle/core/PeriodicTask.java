package io.spindle.core;

/**
 * A task that runs again and again: {@code scheduleAtFixedRate} and
 * {@code scheduleWithFixedDelay}.
 *
 * <p>After each run that returned normally, the task itself goes back into the wheel with its
 * next deadline, so runs never overlap: the next one cannot be due before this one returned.
 * At a fixed rate the next deadline is the previous deadline plus the period, so a run that
 * took longer than the period is followed at once by the ones that fell due meanwhile, one
 * after another (the JDK contract: late, never concurrent). With a fixed delay it is the end
 * of this run plus the delay.
 *
 * <p>A run that throws ends the task: its future completes exceptionally with the throwable
 * and it is not scheduled again. Once the pool is shut down the task is cancelled instead of
 * being run or scheduled again (as {@code ScheduledThreadPoolExecutor} does by default).
 *
 * <p>{@link #period} is final; the deadline it advances is written only by the thread running
 * the task, before the task is re-inserted under its shard's lock.
 */
final class PeriodicTask extends ScheduledTask<Void> {

    /** Positive: the fixed rate's period. Negative: minus the fixed delay. In nanoseconds. */
    private final long period;

    PeriodicTask(TimerShard shard, Runnable task, long deadline, long period) {
        super(shard, task, deadline);
        this.period = period;
    }

    @Override
    public void run() {
        final Timers timers = shard.timers;
        if (timers.pool.isShutdown()) {
            cancel(false);
            return;
        }
        if (runAndReset()) {
            deadline(period > 0 ? deadline() + period : System.nanoTime() - period);
            timers.reschedule(this);
        }
    }

    @Override
    public boolean isPeriodic() {
        return true;
    }
}
