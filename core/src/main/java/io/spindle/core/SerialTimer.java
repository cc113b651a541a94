package io.spindle.core;

/**
 * The pool-timer entry of a delayed {@link SerialTask}: when it falls due, a pool thread runs it
 * and it moves the task into its worker's mailbox ({@link SerialTask#expire()}), so the task
 * itself runs through the mailbox, never beside the worker's other tasks. Cancelling the task
 * cancels this entry, which leaves the wheel at once.
 *
 * <p>It is internal traffic: {@link WorkStealingPool#shutdownNow()} does not return it but
 * cancels its task, which is how a pending delayed task of a worker on a stopped pool ends up
 * disposed.
 */
final class SerialTimer extends ScheduledTask<Void> {

    private final SerialTask task;

    SerialTimer(TimerShard shard, SerialTask task, long deadline) {
        super(shard, task, deadline);
        this.task = task;
    }

    /** The delayed task this timer is for. */
    SerialTask serialTask() {
        return task;
    }

    @Override
    Void call() {
        task.expire();
        return null;
    }
}
