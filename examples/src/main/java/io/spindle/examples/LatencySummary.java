package io.spindle.examples;

import java.util.Arrays;

/**
 * Percentiles of a run's request latencies, by nearest rank: the p-th percentile is the
 * smallest latency that at least p of the requests did not exceed.
 *
 * @param p50Nanos the median
 * @param p99Nanos the 99th percentile
 * @param p999Nanos the 99.9th percentile
 * @param maxNanos the slowest request
 */
record LatencySummary(long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos) {

    /**
     * Summarises {@code latencies} (not modified).
     *
     * @param latencies request latencies in nanoseconds, at least one
     * @return the percentiles
     * @throws IllegalArgumentException if {@code latencies} is empty
     */
    static LatencySummary of(long[] latencies) {
        if (latencies.length == 0) {
            throw new IllegalArgumentException("latencies must hold at least one value, was empty");
        }
        final long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new LatencySummary(percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999),
                sorted[sorted.length - 1]);
    }

    /** Nearest rank: the value at index ceil(p·n) − 1 of the sorted values. */
    static long percentile(long[] sorted, double p) {
        final int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
