package io.spindle.examples;

import io.spindle.core.PoolMetrics;

/**
 * Spindle's pool counters the demo shows, summed over the workers.
 *
 * @param steals tasks stolen from another worker ({@link PoolMetrics#stealCount(int)})
 * @param parks times a worker parked because it found nothing to do ({@link PoolMetrics#parkCount(int)})
 * @param stalls stalls the stall detector reported, a task running longer than the threshold
 *     (1 s by default; {@link PoolMetrics#stallCount(int)})
 */
record PoolCounters(long steals, long parks, long stalls) {

    /**
     * The counters now.
     *
     * @param metrics a pool's live metrics, or null
     * @return their sums over the workers, or null when {@code metrics} is null
     */
    static PoolCounters of(PoolMetrics metrics) {
        if (metrics == null) {
            return null;
        }
        long steals = 0;
        long parks = 0;
        long stalls = 0;
        for (int w = 0; w < metrics.workers(); w++) {
            steals += metrics.stealCount(w);
            parks += metrics.parkCount(w);
            stalls += metrics.stallCount(w);
        }
        return new PoolCounters(steals, parks, stalls);
    }

    /** What was counted since {@code earlier}. */
    PoolCounters minus(PoolCounters earlier) {
        return new PoolCounters(steals - earlier.steals, parks - earlier.parks, stalls - earlier.stalls);
    }
}
