package io.spindle.benchmarks;

import java.util.concurrent.Executor;

/**
 * A started executor under test, seen the same way whatever it is: submit a task, and close
 * what was started for the benchmark.
 *
 * <p>Closing never shuts down a shared executor (the common pool, RxJava's computation
 * scheduler, {@code Dispatchers.Default}): the benchmark did not start it and other code may
 * still use it.
 */
interface ExecutorHandle extends Executor, AutoCloseable {

    /**
     * Submits a task the way the executor's users do: {@code schedule} for a Reactor
     * scheduler, {@code scheduleDirect} for an RxJava one, {@code execute} otherwise.
     */
    @Override
    void execute(Runnable task);

    /**
     * Stops what this handle owns; queued tasks may be dropped, since the measurement is over.
     * Does nothing for a shared executor.
     */
    @Override
    void close();
}
