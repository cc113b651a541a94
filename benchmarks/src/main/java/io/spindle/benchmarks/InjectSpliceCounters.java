package io.spindle.benchmarks;

import io.spindle.core.PoolMetrics;
import io.spindle.core.WorkStealingPool;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * How a Spindle pool's work reached its inject queue during an iteration, as JMH secondary
 * results: the growth of {@link PoolMetrics#injectSpliceCount()} and
 * {@link PoolMetrics#injectSplicedTaskCount()} over the iteration's operations. The report
 * turns them into splices per operation and tasks per splice ({@link SpliceTable}).
 *
 * <p>A benchmark method brackets each operation with {@link #begin} and {@link #end}, passing
 * the Spindle pool it runs on, or null for a peer (whose counters then stay 0). The two reads
 * cost {@code 2 + 2 × workers} opaque loads each, tens of nanoseconds against operations of a
 * millisecond and more, and make the counts cover exactly the measured operations, not what the
 * pool does between them. JMH zeroes the counters before every iteration.
 *
 * <p>Not thread-safe: one instance per benchmark thread ({@code Scope.Thread}, which
 * {@code @AuxCounters} requires), and the pool's counters are read racily (see
 * {@link PoolMetrics}): a splice made by a pool thread just as an operation ends may be counted
 * in the next one. The public fields are the counters; their names are the secondary results'.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class InjectSpliceCounters {

    /** The secondary result holding splices; the name of the field {@link #injectSplices}. */
    static final String SPLICES = "injectSplices";
    /** The secondary result holding tasks spliced; the name of the field {@link #injectSplicedTasks}. */
    static final String SPLICED_TASKS = "injectSplicedTasks";

    /** Splices into the inject queue during this iteration's operations. */
    public long injectSplices;
    /** Tasks those splices carried. */
    public long injectSplicedTasks;

    private long splicesAtBegin;
    private long splicedTasksAtBegin;

    /** Marks the start of an operation on {@code pool}; does nothing for null. */
    void begin(WorkStealingPool pool) {
        if (pool != null) {
            final PoolMetrics metrics = pool.metrics();
            splicesAtBegin = metrics.injectSpliceCount();
            splicedTasksAtBegin = metrics.injectSplicedTaskCount();
        }
    }

    /** Adds what {@code pool} spliced since {@link #begin}; does nothing for null. */
    void end(WorkStealingPool pool) {
        if (pool != null) {
            final PoolMetrics metrics = pool.metrics();
            injectSplices += metrics.injectSpliceCount() - splicesAtBegin;
            injectSplicedTasks += metrics.injectSplicedTaskCount() - splicedTasksAtBegin;
        }
    }
}
