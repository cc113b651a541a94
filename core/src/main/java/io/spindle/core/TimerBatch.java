package io.spindle.core;

import java.util.function.Consumer;

/**
 * The tasks the timer driver found due in one turn, linked through {@link Task#next} as they
 * leave their wheels, and handed to the pool as one splice into the inject queue with one
 * wake-up. Owned by the driver thread; cancelled tasks are left out (their canceller has
 * already completed their futures).
 */
final class TimerBatch implements Consumer<ScheduledTask<?>> {
    private Task first;
    private Task last;
    private int count;

    @Override
    public void accept(ScheduledTask<?> task) {
        if (!task.isPending()) {
            return;
        }
        if (first == null) {
            first = task;
        } else {
            last.next = task;
        }
        last = task;
        count++;
    }

    /**
     * Splices the batch into the pool's inject queue, whether or not the pool is shutting down
     * (these tasks were accepted before), and wakes a worker.
     *
     * @return the number of tasks handed over
     */
    int flushTo(WorkStealingPool pool) {
        final int n = count;
        if (n == 0) {
            return 0;
        }
        pool.inject.spliceEvenIfClosed(first, last, n);
        first = null;
        last = null;
        count = 0;
        pool.notifyParked();
        return n;
    }
}
