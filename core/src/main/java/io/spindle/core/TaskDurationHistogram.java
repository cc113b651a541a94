package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker's histogram of task durations, in log-scale (power-of-two) buckets: Tokio's
 * poll-time histogram with its log scale.
 *
 * <pre>
 *   bucket 0            [0, 1024 ns)
 *   bucket i, 0 &lt; i &lt; 23 [2^(i+9), 2^(i+10)) ns     (1.02 µs, 2.05 µs, ... up to 4.29 s)
 *   bucket 23           [2^32 ns, ∞)                  (4.29 s and more)
 * </pre>
 * Finding the bucket is a leading-zero count and two clamps, no loop and no table.
 *
 * <p>The counts are written by the owning worker alone, as opaque stores of the plain value plus
 * one, and read by anyone with opaque loads: the access rules of {@link WorkerMetrics}. Only
 * workers of a pool built with {@code taskDurationHistogram(true)} have one, because timing every
 * task costs two {@link System#nanoTime()} calls per task.
 */
final class TaskDurationHistogram {

    /** 24 buckets cover 1 µs to 4 s in doublings, and one each for below and above. */
    static final int BUCKETS = 24;
    /** Bucket 0 holds everything shorter than 2^10 ns. */
    private static final int FIRST_UPPER_BOUND_BITS = 10;

    private final long[] counts = new long[BUCKETS];

    /** Counts one task that took {@code nanos}. Owner only. */
    void record(long nanos) {
        final int bucket = bucket(nanos);
        COUNTS.setOpaque(counts, bucket, counts[bucket] + 1);
    }

    /** Tasks counted in {@code bucket}; any thread. */
    long count(int bucket) {
        return (long) COUNTS.getOpaque(counts, bucket);
    }

    static int bucket(long nanos) {
        final int bits = 64 - Long.numberOfLeadingZeros(Math.max(0, nanos));
        return Math.min(BUCKETS - 1, Math.max(0, bits - FIRST_UPPER_BOUND_BITS));
    }

    /** The inclusive lower bound of {@code bucket}, in nanoseconds. */
    static long lowerBoundNanos(int bucket) {
        return bucket == 0 ? 0 : 1L << (bucket + FIRST_UPPER_BOUND_BITS - 1);
    }

    /** The exclusive upper bound of {@code bucket}, in nanoseconds; {@link Long#MAX_VALUE} for the last. */
    static long upperBoundNanos(int bucket) {
        return bucket == BUCKETS - 1 ? Long.MAX_VALUE : 1L << (bucket + FIRST_UPPER_BOUND_BITS);
    }

    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
}
