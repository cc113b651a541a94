package io.spindle.core;

import java.time.Duration;

/**
 * What a {@link WorkStealingPool} is doing, sampled: the counterpart of Tokio's
 * {@code RuntimeMetrics}.
 *
 * <p>Every value is read on demand from counters the workers keep in their own fields, so
 * reading never blocks or slows a worker, and any thread may read at any time. A value is exact
 * at some instant during the call but values read one after another are not a consistent
 * snapshot of each other. Counters only grow (they wrap after 2<sup>63</sup>); depths are
 * {@code >= 0} and drop back to 0 when the pool is idle.
 *
 * <p>Per-worker methods take a worker index in {@code 0..workers()-1} and throw
 * {@link IndexOutOfBoundsException} naming the index and the range otherwise.
 */
public interface PoolMetrics {

    /**
     * The number of workers.
     *
     * @return the pool's fixed worker count
     */
    int workers();

    /**
     * Tasks waiting in the inject (global) queue.
     *
     * @return the inject queue's length
     */
    int injectQueueDepth();

    /**
     * Tasks submitted from threads that are not this pool's workers.
     *
     * @return the running count of remote schedules
     */
    long remoteScheduleCount();

    /**
     * Delayed and periodic tasks waiting in the timer wheels for their deadline; not counting
     * those already due and queued for a worker. Cancelled timers leave the count at once.
     *
     * @return the number of pending timers
     */
    long pendingTimers();

    /**
     * Tasks run by all workers.
     *
     * @return the sum of every worker's {@link #pollCount(int)}
     */
    long totalTasksExecuted();

    /**
     * Tasks in the worker's local queue, not counting its LIFO slot.
     *
     * @param worker the worker index
     * @return the local queue's length
     */
    int localQueueDepth(int worker);

    /**
     * Tasks this worker stole from others (including LIFO-slot steals).
     *
     * @param worker the worker index
     * @return the stolen task count
     */
    long stealCount(int worker);

    /**
     * Successful steal operations by this worker; each moves one or more tasks.
     *
     * @param worker the worker index
     * @return the steal operation count
     */
    long stealOperations(int worker);

    /**
     * Times this worker's local queue was full and sent half of itself to the inject queue.
     *
     * @param worker the worker index
     * @return the overflow count
     */
    long overflowCount(int worker);

    /**
     * Tasks this worker ran.
     *
     * @param worker the worker index
     * @return the poll count
     */
    long pollCount(int worker);

    /**
     * Times this worker parked.
     *
     * @param worker the worker index
     * @return the park count
     */
    long parkCount(int worker);

    /**
     * Times this worker was woken and parked again without running a task.
     *
     * @param worker the worker index
     * @return the no-op wake count
     */
    long noopCount(int worker);

    /**
     * Tasks submitted from this worker's own thread.
     *
     * @param worker the worker index
     * @return the local schedule count
     */
    long localScheduleCount(int worker);

    /**
     * Total time this worker spent running tasks, summed over its busy periods.
     *
     * @param worker the worker index
     * @return the busy duration
     */
    Duration busyDuration(int worker);

    /**
     * The exponentially weighted mean time of this worker's tasks, which also tunes how often
     * it checks the inject queue.
     *
     * @param worker the worker index
     * @return the mean task time
     */
    Duration meanTaskTime(int worker);
}
