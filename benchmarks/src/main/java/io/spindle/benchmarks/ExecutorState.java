package io.spindle.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The executor under test, as one JMH parameter that every executor benchmark shares: take an
 * {@code ExecutorState} argument and submit through {@link #executor()}. One instance per trial,
 * started before the first iteration and closed after the last.
 */
@State(Scope.Benchmark)
public class ExecutorState {

    /**
     * The {@link ExecutorUnderTest#paramValue()} of the executor to measure: Spindle and every
     * peer.
     */
    @Param({"spindle", "reactorParallel", "rxComputation", "fjpAsync", "fjpCommon", "threadPool", "kotlinxDefault", "immediate"})
    public String executor;

    private ExecutorHandle handle;

    /** Starts the executor named by {@link #executor}. */
    @Setup(Level.Trial)
    public void start() {
        handle = ExecutorUnderTest.forParam(executor).start();
    }

    /** Closes what {@link #start()} started. */
    @TearDown(Level.Trial)
    public void close() {
        handle.close();
    }

    /** The started executor. */
    ExecutorHandle executor() {
        return handle;
    }
}
