package io.spindle.rxjava;

import io.spindle.core.WorkStealingPool;

/**
 * One run of a {@link SpindleRxScheduler}, from a {@code start()} (or its creation) to the
 * following {@code shutdown()}: the pool it submits to and whether that run is over.
 *
 * <p>Workers and periodic tasks keep the lifecycle they were created in, not the scheduler, so
 * that a scheduler restarted after a shutdown never revives them: a Worker created before the
 * shutdown stays rejecting after the next {@code start()}, as {@code computation()}'s do. For a
 * scheduler that owns its pool this falls out of the pool being shut down; for one that wraps a
 * pool, which stays up, {@link #shutdown} is what tells them.
 *
 * <p>{@code shutdown} goes false → true once, a volatile store under the scheduler's lifecycle
 * lock; read with volatile loads by submitters and by periodic tasks before each tick.
 */
final class Lifecycle {

    final WorkStealingPool pool;
    volatile boolean shutdown;

    Lifecycle(WorkStealingPool pool) {
        this.pool = pool;
    }

    /** Whether this run no longer accepts tasks: shut down, or its pool is. */
    boolean rejects() {
        return shutdown || pool.isShutdown();
    }
}
