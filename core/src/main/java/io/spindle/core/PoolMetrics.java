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
 * {@link IndexOutOfBoundsException} naming the index and the range otherwise; histogram methods
 * do the same for a bucket index in {@code 0..taskDurationHistogramBuckets()-1}.
 *
 * <p>Tokio's {@code RuntimeMetrics} names, for those who know them: {@code num_workers} is
 * {@link #workers()}, {@code global_queue_depth} {@link #injectQueueDepth()},
 * {@code remote_schedule_count} {@link #remoteScheduleCount()}, {@code worker_*_count} the
 * per-worker counters of the same name, {@code worker_total_busy_duration}
 * {@link #busyDuration(int)}, {@code worker_mean_poll_time} {@link #meanTaskTime(int)},
 * {@code budget_forced_yield_count} {@link #budgetForcedYieldCount(int)} (per worker here), the
 * poll-time histogram the {@code taskDuration*} methods. {@link #stallCount(int)} and the
 * inject-splice counters ({@link #injectSpliceCount()}, {@link #injectSplicedTaskCount()} and
 * their per-worker forms) have no Tokio counterpart.
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
     * Batches spliced into the inject queue: each is one short critical section on the queue's
     * lock and at most one wake-up, whatever its size. Three sources splice, and this is their
     * total:
     * <ul>
     *   <li>a worker whose local queue is full moves the newer half of it plus the incoming task
     *       ({@code capacity / 2 + 1} tasks, 129 for the default 256) in one splice; and an
     *       {@link WorkStealingPool#executeAll executeAll} called on a worker sends what does not
     *       fit in its local queue in one splice. Per worker: {@link #injectSpliceCount(int)};
     *   <li>the timer driver splices every task due in one wake-up (tasks due in the same
     *       millisecond tick, and any it is late for) as one batch;
     *   <li>an {@code executeAll} from any other thread is one splice of the whole batch.
     * </ul>
     * A splice counts whatever its size (a tick with one due task is a splice of one), so
     * {@code injectSplicedTaskCount() / injectSpliceCount()} is the batch size really achieved.
     * Single-task pushes are not splices and are not counted: {@code execute} from outside
     * (see {@link #remoteScheduleCount()}), a worker's push that finds its queue full while a
     * thief is emptying half of it, a task the stall detector rescues from a LIFO slot.
     *
     * <p>Costs nothing per task and adds no shared atomic anywhere: a worker's splices are
     * counted in its own fields, the timer driver's in fields only that thread writes, and an
     * outside {@code executeAll}'s under the inject queue's lock, which the splice holds
     * anyway; each published with an opaque store and summed here from opaque loads. The value
     * is monotonic but, like every counter here, read racily: approximate while splices are
     * being made. Every splice is counted before its tasks become visible to the workers, so a
     * thread that knows a spliced task ran (it counted down a latch, say) sees that splice in
     * the count; with the pool quiet the count is exact.
     *
     * @return batches spliced into the inject queue since the pool started
     */
    long injectSpliceCount();

    /**
     * Tasks carried by the splices of {@link #injectSpliceCount()}; the same sources, costs and
     * thread-safety.
     *
     * @return tasks that entered the inject queue as part of a batch splice
     */
    long injectSplicedTaskCount();

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
     * Batches this worker's thread spliced into the inject queue: one per
     * {@link #overflowCount(int) overflow}, plus one per {@code executeAll} called on this
     * worker that did not fit in its local queue. Part of {@link #injectSpliceCount()}.
     * Written by the worker alone, read racily; monotonic.
     *
     * @param worker the worker index
     * @return the worker's splice count
     */
    long injectSpliceCount(int worker);

    /**
     * Tasks carried by this worker's splices ({@link #injectSpliceCount(int)}): half the local
     * queue plus one per overflow, and the spill of each {@code executeAll} that did not fit.
     *
     * @param worker the worker index
     * @return the tasks this worker spliced into the inject queue
     */
    long injectSplicedTaskCount(int worker);

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

    /**
     * Times the LIFO cap made this worker cut a message-passing chain short. Spindle's tasks run
     * to completion, so its one budget is the cap of three LIFO-slot runs in a row (Tokio
     * #5712, shared with Tokio's coop budget there): once it is reached, the next task the
     * chain submits goes to the back of the local queue instead of the LIFO slot, and the chain
     * yields to the queued tasks. Counted once per chain cut short, and once per
     * {@link SerialWorker} drain that used up its budget of {@value SerialWorker#DRAIN_BUDGET}
     * tasks on this worker and went to the back of its queue.
     *
     * @param worker the worker index
     * @return the budget-forced yield count
     */
    long budgetForcedYieldCount(int worker);

    /**
     * Stalls reported for this worker: times it was seen running one task for longer than the
     * pool's stall threshold, each counted once however long it lasts. Always 0 when stall
     * detection is off.
     *
     * @param worker the worker index
     * @return the stall count
     */
    long stallCount(int worker);

    /**
     * Whether the pool keeps the task-duration histogram ({@code taskDurationHistogram(true)} on
     * the builder). When it does not, every bucket count is 0.
     *
     * @return true if tasks are timed
     */
    boolean taskDurationHistogramEnabled();

    /**
     * The number of buckets of the task-duration histogram, the same whether it is enabled or
     * not. The buckets are log-scale: bucket 0 holds tasks shorter than 1,024 ns, each next one
     * twice the range of the one before ({@code [2^(i+9), 2^(i+10))} ns), and the last one
     * everything from 2<sup>32</sup> ns (about 4.3 s) up.
     *
     * @return the bucket count, 24
     */
    int taskDurationHistogramBuckets();

    /**
     * The shortest task duration counted in {@code bucket}.
     *
     * @param bucket the bucket index
     * @return the inclusive lower bound
     */
    Duration taskDurationBucketLowerBound(int bucket);

    /**
     * The duration from which tasks are counted in the next bucket; for the last bucket
     * {@code Duration.ofNanos(Long.MAX_VALUE)}.
     *
     * @param bucket the bucket index
     * @return the exclusive upper bound
     */
    Duration taskDurationBucketUpperBound(int bucket);

    /**
     * Tasks this worker ran whose duration falls in {@code bucket} (time in the task and, if it
     * threw, in the task error handler).
     *
     * @param worker the worker index
     * @param bucket the bucket index
     * @return the count; 0 when the histogram is not enabled
     */
    long taskDurationBucketCount(int worker, int bucket);
}
