package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * The tasks the timer driver found due in one turn, linked through {@link Task#next} as they
 * leave their wheels, and handed to the pool as one splice into the inject queue with one
 * wake-up. Owned by the driver thread; cancelled tasks are left out (their canceller has
 * already completed their futures).
 *
 * <h2>Splice counters</h2>
 * <pre>
 *  splices, splicedTasks
 *        ── the driver's share of {@link PoolMetrics#injectSpliceCount()} and
 *           {@link PoolMetrics#injectSplicedTaskCount()}: written by the driver thread alone,
 *           as an opaque store of its plain value plus the increment (no read-modify-write:
 *           nobody else writes them), read by any thread with an opaque load (a long read
 *           opaquely is never torn; a metric orders nothing). Stored before the splice they
 *           count, for the reason {@link WorkerMetrics} gives.
 * </pre>
 * A splice is counted whatever its size: a tick with one due task is a splice of one, so that
 * the mean tasks per splice is the batching the timer really achieved.
 */
final class TimerBatch implements Consumer<ScheduledTask<?>> {
    private Task first;
    private Task last;
    private int count;
    /** See the class comment; accessed through {@link #SPLICES}. */
    private long splices;
    /** See the class comment; accessed through {@link #SPLICED_TASKS}. */
    private long splicedTasks;

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
        SPLICES.setOpaque(this, splices + 1);
        SPLICED_TASKS.setOpaque(this, splicedTasks + n);
        pool.inject.spliceEvenIfClosed(first, last, n);
        first = null;
        last = null;
        count = 0;
        pool.notifyParked();
        return n;
    }

    /** Batches the driver has spliced; any thread. */
    long spliceCount() {
        return (long) SPLICES.getOpaque(this);
    }

    /** Tasks those batches carried; any thread. */
    long splicedTaskCount() {
        return (long) SPLICED_TASKS.getOpaque(this);
    }

    private static final VarHandle SPLICES;
    private static final VarHandle SPLICED_TASKS;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SPLICES = lookup.findVarHandle(TimerBatch.class, "splices", long.class);
            SPLICED_TASKS = lookup.findVarHandle(TimerBatch.class, "splicedTasks", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
