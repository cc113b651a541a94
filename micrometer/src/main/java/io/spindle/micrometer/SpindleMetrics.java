package io.spindle.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.spindle.core.PoolMetrics;
import io.spindle.core.WorkStealingPool;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Registers a {@link WorkStealingPool}'s {@link PoolMetrics} with a Micrometer
 * {@link MeterRegistry}: gauges for depths, function counters for counts, every meter named
 * {@code spindle.*} and tagged {@code pool=<pool name>}, per-worker meters also
 * {@code worker=<index>}.
 *
 * <pre>{@code
 * new SpindleMetrics(pool).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>unit</th><th>from</th></tr>
 *   <tr><td>{@code spindle.workers}</td><td>gauge</td><td></td><td>{@link PoolMetrics#workers()}</td></tr>
 *   <tr><td>{@code spindle.inject.queue.depth}</td><td>gauge</td><td>tasks</td><td>{@link PoolMetrics#injectQueueDepth()}</td></tr>
 *   <tr><td>{@code spindle.remote.schedules}</td><td>function counter</td><td>tasks</td><td>{@link PoolMetrics#remoteScheduleCount()}</td></tr>
 *   <tr><td>{@code spindle.inject.splices}</td><td>function counter</td><td>operations</td><td>{@link PoolMetrics#injectSpliceCount()}</td></tr>
 *   <tr><td>{@code spindle.inject.spliced.tasks}</td><td>function counter</td><td>tasks</td><td>{@link PoolMetrics#injectSplicedTaskCount()}</td></tr>
 *   <tr><td>{@code spindle.timers.pending}</td><td>gauge</td><td>tasks</td><td>{@link PoolMetrics#pendingTimers()}</td></tr>
 *   <tr><td>{@code spindle.tasks.executed}</td><td>function counter</td><td>tasks</td><td>{@link PoolMetrics#totalTasksExecuted()}</td></tr>
 *   <tr><td>{@code spindle.worker.local.queue.depth}</td><td>gauge</td><td>tasks</td><td>{@link PoolMetrics#localQueueDepth(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.steals}</td><td>function counter</td><td>tasks</td><td>{@link PoolMetrics#stealCount(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.steal.operations}</td><td>function counter</td><td>operations</td><td>{@link PoolMetrics#stealOperations(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.overflows}</td><td>function counter</td><td>operations</td><td>{@link PoolMetrics#overflowCount(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.inject.splices}</td><td>function counter</td><td>operations</td><td>{@link PoolMetrics#injectSpliceCount(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.inject.spliced.tasks}</td><td>function counter</td><td>tasks</td><td>{@link PoolMetrics#injectSplicedTaskCount(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.polls}</td><td>function counter</td><td>tasks</td><td>{@link PoolMetrics#pollCount(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.parks}</td><td>function counter</td><td>events</td><td>{@link PoolMetrics#parkCount(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.noop.wakes}</td><td>function counter</td><td>events</td><td>{@link PoolMetrics#noopCount(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.local.schedules}</td><td>function counter</td><td>tasks</td><td>{@link PoolMetrics#localScheduleCount(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.busy}</td><td>function counter</td><td>seconds</td><td>{@link PoolMetrics#busyDuration(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.mean.task.time}</td><td>gauge</td><td>seconds</td><td>{@link PoolMetrics#meanTaskTime(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.budget.forced.yields}</td><td>function counter</td><td>events</td><td>{@link PoolMetrics#budgetForcedYieldCount(int)}</td></tr>
 *   <tr><td>{@code spindle.worker.stalls}</td><td>function counter</td><td>events</td><td>{@link PoolMetrics#stallCount(int)}</td></tr>
 *   <tr><td>{@code spindle.task.duration}</td><td>function counter per bucket, tag {@code le}</td><td>tasks</td>
 *       <td>the task-duration histogram summed over workers, cumulative (tasks shorter than
 *       {@code le} seconds; {@code le=+Inf} for all): only when the pool keeps it</td></tr>
 * </table>
 *
 * <p>Every meter reads the pool's counters when the registry polls it; nothing is recorded on
 * the workers' side, and reading never blocks them. Instances are immutable and thread-safe;
 * {@link #bindTo} may be called for several registries. The meters hold the pool's metrics view
 * weakly, as Micrometer gauges do, so binding does not keep a discarded pool alive.
 */
public final class SpindleMetrics implements MeterBinder {

    /** The prefix of every meter's name. */
    public static final String PREFIX = "spindle.";
    /** The tag naming the pool. */
    public static final String POOL_TAG = "pool";
    /** The tag naming the worker index of a per-worker meter. */
    public static final String WORKER_TAG = "worker";
    /** The tag of the histogram's cumulative buckets: their upper bound, in seconds. */
    public static final String BUCKET_TAG = "le";

    /** Micrometer's base unit for time (registries convert it to their own). */
    private static final String SECONDS = "seconds";

    private final PoolMetrics metrics;
    private final Tags tags;

    /**
     * A binder for {@code pool}, tagged {@code pool=<pool.name()>}.
     *
     * @param pool the pool
     * @throws NullPointerException if {@code pool} is null
     */
    public SpindleMetrics(WorkStealingPool pool) {
        this(pool, Tags.empty());
    }

    /**
     * A binder for {@code pool} with extra tags on every meter, besides {@code pool}.
     *
     * @param pool the pool
     * @param tags more tags, for example the application's name
     * @throws NullPointerException if {@code pool} or {@code tags} is null
     */
    public SpindleMetrics(WorkStealingPool pool, Iterable<Tag> tags) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(tags, "tags");
        this.metrics = pool.metrics();
        this.tags = Tags.concat(tags, Tags.of(POOL_TAG, pool.name()));
    }

    /**
     * Registers every meter of the table above with {@code registry}.
     *
     * @param registry the registry
     * @throws NullPointerException if {@code registry} is null
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        gauge(registry, "workers", "Worker threads", null, tags, PoolMetrics::workers);
        gauge(registry, "inject.queue.depth", "Tasks waiting in the inject (global) queue", BaseUnits.TASKS, tags,
                PoolMetrics::injectQueueDepth);
        counter(registry, "remote.schedules", "Tasks submitted from outside the pool", BaseUnits.TASKS, tags,
                PoolMetrics::remoteScheduleCount);
        counter(registry, "inject.splices", "Batches spliced into the inject queue (overflows, timer ticks, executeAll)",
                BaseUnits.OPERATIONS, tags, PoolMetrics::injectSpliceCount);
        counter(registry, "inject.spliced.tasks", "Tasks that entered the inject queue in a batch splice", BaseUnits.TASKS, tags,
                PoolMetrics::injectSplicedTaskCount);
        gauge(registry, "timers.pending", "Delayed and periodic tasks waiting in the timer wheels", BaseUnits.TASKS, tags,
                PoolMetrics::pendingTimers);
        counter(registry, "tasks.executed", "Tasks run by all workers", BaseUnits.TASKS, tags, PoolMetrics::totalTasksExecuted);
        for (int i = 0; i < metrics.workers(); i++) {
            bindWorker(registry, i);
        }
        if (metrics.taskDurationHistogramEnabled()) {
            bindHistogram(registry);
        }
    }

    private void bindWorker(MeterRegistry registry, int worker) {
        final Tags w = tags.and(WORKER_TAG, Integer.toString(worker));
        gauge(registry, "worker.local.queue.depth", "Tasks in the worker's local queue, LIFO slot excluded", BaseUnits.TASKS, w,
                m -> m.localQueueDepth(worker));
        counter(registry, "worker.steals", "Tasks the worker stole from others", BaseUnits.TASKS, w, m -> m.stealCount(worker));
        counter(registry, "worker.steal.operations", "Successful steal operations by the worker", BaseUnits.OPERATIONS, w,
                m -> m.stealOperations(worker));
        counter(registry, "worker.overflows", "Times the worker's full local queue moved half of itself to the inject queue",
                BaseUnits.OPERATIONS, w, m -> m.overflowCount(worker));
        counter(registry, "worker.inject.splices", "Batches the worker spliced into the inject queue (overflows, executeAll spills)",
                BaseUnits.OPERATIONS, w, m -> m.injectSpliceCount(worker));
        counter(registry, "worker.inject.spliced.tasks", "Tasks the worker spliced into the inject queue", BaseUnits.TASKS, w,
                m -> m.injectSplicedTaskCount(worker));
        counter(registry, "worker.polls", "Tasks the worker ran", BaseUnits.TASKS, w, m -> m.pollCount(worker));
        counter(registry, "worker.parks", "Times the worker parked", BaseUnits.EVENTS, w, m -> m.parkCount(worker));
        counter(registry, "worker.noop.wakes", "Times the worker woke and parked again without running a task", BaseUnits.EVENTS, w,
                m -> m.noopCount(worker));
        counter(registry, "worker.local.schedules", "Tasks submitted from the worker's own thread", BaseUnits.TASKS, w,
                m -> m.localScheduleCount(worker));
        counter(registry, "worker.busy", "Time the worker spent running tasks", SECONDS, w,
                m -> m.busyDuration(worker).toNanos() / 1e9);
        gauge(registry, "worker.mean.task.time", "Exponentially weighted mean task time", SECONDS, w,
                m -> m.meanTaskTime(worker).toNanos() / 1e9);
        counter(registry, "worker.budget.forced.yields", "Message-passing chains the LIFO cap cut short", BaseUnits.EVENTS, w,
                m -> m.budgetForcedYieldCount(worker));
        counter(registry, "worker.stalls", "Times the worker ran one task for longer than the stall threshold", BaseUnits.EVENTS, w,
                m -> m.stallCount(worker));
    }

    private void bindHistogram(MeterRegistry registry) {
        final int buckets = metrics.taskDurationHistogramBuckets();
        for (int b = 0; b < buckets; b++) {
            final int last = b;
            final String le = b == buckets - 1 ? "+Inf" : Double.toString(metrics.taskDurationBucketUpperBound(b).toNanos() / 1e9);
            counter(registry, "task.duration", "Tasks that ran for less than le seconds (cumulative histogram buckets)",
                    BaseUnits.TASKS, tags.and(BUCKET_TAG, le), m -> cumulativeCount(m, last));
        }
    }

    /** Tasks of every worker in buckets 0..last. */
    private static double cumulativeCount(PoolMetrics metrics, int last) {
        long count = 0;
        for (int w = 0; w < metrics.workers(); w++) {
            for (int b = 0; b <= last; b++) {
                count += metrics.taskDurationBucketCount(w, b);
            }
        }
        return count;
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit, Tags meterTags,
                       ToDoubleFunction<PoolMetrics> value) {
        Gauge.builder(PREFIX + name, metrics, value).description(description).baseUnit(unit).tags(meterTags).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, String unit, Tags meterTags,
                         ToDoubleFunction<PoolMetrics> value) {
        FunctionCounter.builder(PREFIX + name, metrics, value).description(description).baseUnit(unit).tags(meterTags)
                .register(registry);
    }
}
