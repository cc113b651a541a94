package io.spindle.examples;

/**
 * What one run of the workload on one scheduler measured.
 *
 * @param scheduler the scheduler's name in the table
 * @param requests measured requests
 * @param elapsedNanos from the first measured request to the last answer
 * @param latency the requests' latency percentiles
 * @param timeouts calls that timed out and were answered with the fallback
 * @param pool Spindle's pool counters during the measured requests; null for a peer
 */
record RunResult(String scheduler, int requests, long elapsedNanos, LatencySummary latency, long timeouts, PoolCounters pool) {

    /** Requests answered per second. */
    double requestsPerSecond() {
        return requests / (elapsedNanos / 1e9);
    }
}
