package io.spindle.reactor;

import io.spindle.core.WorkStealingPool;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A time-capable Reactor {@link Scheduler} on a {@link WorkStealingPool}. API skeleton: the
 * behaviour arrives in the following commits.
 */
public final class SpindleScheduler implements Scheduler, Scannable {

    private SpindleScheduler() {}

    /**
     * A scheduler that owns a new pool of one worker per processor, named {@code spindle}.
     *
     * @return a new, initialised scheduler
     */
    public static SpindleScheduler create() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * A scheduler that owns a new pool of {@code workers} threads named {@code <name>-worker-<i>}.
     *
     * @param name the pool's name, non-blank
     * @param workers the number of worker threads, 1..{@value WorkStealingPool#MAX_WORKERS}
     * @return a new, initialised scheduler
     */
    public static SpindleScheduler create(String name, int workers) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * A scheduler on a pool it does not own.
     *
     * @param pool the pool
     * @return a new, initialised scheduler
     */
    public static SpindleScheduler wrap(WorkStealingPool pool) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * A {@link Schedulers.Factory} whose {@code newParallel} makes Spindle schedulers.
     *
     * @return the factory
     */
    public static Schedulers.Factory factory() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * The pool this scheduler submits to.
     *
     * @return the pool
     */
    public WorkStealingPool pool() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Disposable schedule(Runnable task) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Worker createWorker() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public long now(TimeUnit unit) {
        return Scheduler.super.now(unit);
    }

    @Override
    public void init() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    @Deprecated
    public void start() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void dispose() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Mono<Void> disposeGracefully() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public boolean isDisposed() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    @SuppressWarnings("rawtypes") // Scannable declares the raw type
    public Object scanUnsafe(Attr key) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
