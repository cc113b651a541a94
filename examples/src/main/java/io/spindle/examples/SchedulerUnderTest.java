package io.spindle.examples;

import io.spindle.core.PoolMetrics;
import io.spindle.core.WorkStealingPool;
import io.spindle.reactor.SpindleScheduler;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One scheduler the demo runs the workload on: where the calls run, where their timeouts are
 * timed, and, for Spindle, the pool whose metrics the table shows. Closing it disposes what it
 * created.
 *
 * @param name the name in the table
 * @param calls the scheduler the backend calls {@code subscribeOn}
 * @param timer the scheduler the calls' {@code timeout} runs on: {@code calls} itself when it
 *     is time-capable
 * @param pool Spindle's pool, whose metrics the table shows; null for the peers
 * @param disposer what {@link #close()} runs: disposes what was created for this run
 */
record SchedulerUnderTest(String name, Scheduler calls, Scheduler timer, WorkStealingPool pool, Runnable disposer)
        implements AutoCloseable {

    SchedulerUnderTest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(calls, "calls");
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(disposer, "disposer");
    }

    /** Spindle: one scheduler for calls and timeouts, a pool of {@code workers} threads named {@code spindle-worker-<i>}. */
    static SchedulerUnderTest spindle(int workers) {
        final SpindleScheduler spindle = SpindleScheduler.create("spindle", workers);
        return new SchedulerUnderTest("spindle", spindle, spindle, spindle.pool(), spindle::dispose);
    }

    /** Reactor's {@code Schedulers.newParallel}: {@code workers} single-thread executors, each Worker pinned to one. */
    static SchedulerUnderTest parallel(int workers) {
        final Scheduler parallel = Schedulers.newParallel("parallel", workers);
        return new SchedulerUnderTest("parallel", parallel, parallel, null, parallel::dispose);
    }

    /**
     * {@code Schedulers.fromExecutorService(new ForkJoinPool(workers))}. A {@code ForkJoinPool}
     * is not a {@code ScheduledExecutorService}, so Reactor cannot time anything on it
     * ({@code schedule(task, delay)} throws {@code RejectedExecutionException}): its timeouts
     * run on a {@code Schedulers.newSingle} timer thread, as they must in an application that
     * uses it.
     */
    static SchedulerUnderTest forkJoinPool(int workers) {
        final ForkJoinPool forkJoinPool = new ForkJoinPool(workers);
        final Scheduler calls = Schedulers.fromExecutorService(forkJoinPool, "forkjoin");
        final Scheduler timer = Schedulers.newSingle("forkjoin-timer");
        return new SchedulerUnderTest("forkjoin", calls, timer, null, () -> {
            calls.dispose();
            timer.dispose();
            forkJoinPool.shutdownNow();
        });
    }

    /** The pool's metrics, or null for a peer. */
    PoolMetrics metrics() {
        return pool == null ? null : pool.metrics();
    }

    @Override
    public void close() {
        disposer.run();
    }
}
