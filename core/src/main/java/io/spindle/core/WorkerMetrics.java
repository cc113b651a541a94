package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker's counters: written only by that worker, read by anyone.
 *
 * <p>Every field is written by the owning worker thread alone, as an opaque store of its plain
 * value plus one: no read-modify-write, no fence, the same instructions as a plain store on
 * x86 and ARM, yet never torn, so a reader on another thread sees some value the worker wrote
 * (Java does not promise that for a plain {@code long}). Readers use opaque loads: a metric is
 * a sample, and nothing else is ordered by it. The class is padded so that one worker's
 * counters do not share a cache line with another's.
 *
 * <p>The inject-splice counters are stored <em>before</em> the splice they count. The splice
 * ends with the inject queue's release of its lock and a worker takes a spliced task after an
 * acquire of that lock, so whoever knows that a spliced task ran (through any happens-before
 * chain, a latch the task counted down, say) also sees its splice counted.
 */
final class WorkerMetrics extends WorkerMetricsPadAfter {

    void steal(int tasks) {
        STEAL_COUNT.setOpaque(this, stealCount + tasks);
        STEAL_OPERATIONS.setOpaque(this, stealOperations + 1);
    }

    /** One overflow of the local queue: also one splice of {@code tasks} into the inject queue. */
    void overflow(int tasks) {
        OVERFLOW_COUNT.setOpaque(this, overflowCount + 1);
        injectSplice(tasks);
    }

    /**
     * One batch of {@code tasks} spliced into the inject queue from this worker's thread (an
     * overflow, or what did not fit in the local queue of an {@code executeAll} called here).
     */
    void injectSplice(int tasks) {
        INJECT_SPLICE_COUNT.setOpaque(this, injectSpliceCount + 1);
        INJECT_SPLICED_TASK_COUNT.setOpaque(this, injectSplicedTaskCount + tasks);
    }

    void poll() {
        POLL_COUNT.setOpaque(this, pollCount + 1);
    }

    void park() {
        PARK_COUNT.setOpaque(this, parkCount + 1);
    }

    void noopWake() {
        NOOP_COUNT.setOpaque(this, noopCount + 1);
    }

    void budgetForcedYield() {
        BUDGET_FORCED_YIELD_COUNT.setOpaque(this, budgetForcedYieldCount + 1);
    }

    void localSchedule() {
        LOCAL_SCHEDULE_COUNT.setOpaque(this, localScheduleCount + 1);
    }

    void localSchedules(int tasks) {
        LOCAL_SCHEDULE_COUNT.setOpaque(this, localScheduleCount + tasks);
    }

    void busy(long nanos, double meanTaskNanos) {
        BUSY_NANOS.setOpaque(this, busyNanos + nanos);
        MEAN_TASK_NANOS.setOpaque(this, meanTaskNanos);
    }

    long stealCount() {
        return (long) STEAL_COUNT.getOpaque(this);
    }

    long stealOperations() {
        return (long) STEAL_OPERATIONS.getOpaque(this);
    }

    long overflowCount() {
        return (long) OVERFLOW_COUNT.getOpaque(this);
    }

    long injectSpliceCount() {
        return (long) INJECT_SPLICE_COUNT.getOpaque(this);
    }

    long injectSplicedTaskCount() {
        return (long) INJECT_SPLICED_TASK_COUNT.getOpaque(this);
    }

    long pollCount() {
        return (long) POLL_COUNT.getOpaque(this);
    }

    long parkCount() {
        return (long) PARK_COUNT.getOpaque(this);
    }

    long noopCount() {
        return (long) NOOP_COUNT.getOpaque(this);
    }

    long budgetForcedYieldCount() {
        return (long) BUDGET_FORCED_YIELD_COUNT.getOpaque(this);
    }

    long localScheduleCount() {
        return (long) LOCAL_SCHEDULE_COUNT.getOpaque(this);
    }

    long busyNanos() {
        return (long) BUSY_NANOS.getOpaque(this);
    }

    double meanTaskNanos() {
        return (double) MEAN_TASK_NANOS.getOpaque(this);
    }

    private static final VarHandle STEAL_COUNT;
    private static final VarHandle STEAL_OPERATIONS;
    private static final VarHandle OVERFLOW_COUNT;
    private static final VarHandle INJECT_SPLICE_COUNT;
    private static final VarHandle INJECT_SPLICED_TASK_COUNT;
    private static final VarHandle POLL_COUNT;
    private static final VarHandle PARK_COUNT;
    private static final VarHandle NOOP_COUNT;
    private static final VarHandle BUDGET_FORCED_YIELD_COUNT;
    private static final VarHandle LOCAL_SCHEDULE_COUNT;
    private static final VarHandle BUSY_NANOS;
    private static final VarHandle MEAN_TASK_NANOS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<WorkerMetricsFields> c = WorkerMetricsFields.class;
            STEAL_COUNT = lookup.findVarHandle(c, "stealCount", long.class);
            STEAL_OPERATIONS = lookup.findVarHandle(c, "stealOperations", long.class);
            OVERFLOW_COUNT = lookup.findVarHandle(c, "overflowCount", long.class);
            INJECT_SPLICE_COUNT = lookup.findVarHandle(c, "injectSpliceCount", long.class);
            INJECT_SPLICED_TASK_COUNT = lookup.findVarHandle(c, "injectSplicedTaskCount", long.class);
            POLL_COUNT = lookup.findVarHandle(c, "pollCount", long.class);
            PARK_COUNT = lookup.findVarHandle(c, "parkCount", long.class);
            NOOP_COUNT = lookup.findVarHandle(c, "noopCount", long.class);
            BUDGET_FORCED_YIELD_COUNT = lookup.findVarHandle(c, "budgetForcedYieldCount", long.class);
            LOCAL_SCHEDULE_COUNT = lookup.findVarHandle(c, "localScheduleCount", long.class);
            BUSY_NANOS = lookup.findVarHandle(c, "busyNanos", long.class);
            MEAN_TASK_NANOS = lookup.findVarHandle(c, "meanTaskNanos", double.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

/** Padding so that two workers' counters never share a cache line. */
abstract class WorkerMetricsPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The counters; see {@link WorkerMetrics} for the access rules. */
abstract class WorkerMetricsFields extends WorkerMetricsPadBefore {
    long stealCount;
    long stealOperations;
    long overflowCount;
    long injectSpliceCount;
    long injectSplicedTaskCount;
    long pollCount;
    long parkCount;
    long noopCount;
    long budgetForcedYieldCount;
    long localScheduleCount;
    long busyNanos;
    double meanTaskNanos;
}

/** Padding after the counters. */
abstract class WorkerMetricsPadAfter extends WorkerMetricsFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;
}
