package io.spindle.reactor;

import io.spindle.core.WorkStealingPool;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.Future;
import reactor.core.publisher.Mono;

/**
 * A {@link SpindleScheduler} once initialised: its pool, whether it owns it, whether it has been
 * disposed, the periodic tasks to stop at that moment and the completion of a graceful dispose.
 * Made once per scheduler (there is no restart), by {@code init()}, so Workers and tasks keep
 * this object rather than the scheduler: one volatile read tells them whether to reject.
 *
 * <h2>Disposal</h2>
 * <ul>
 *   <li>Every dispose first sets {@code disposed}, so every {@code schedule*} rejects from then
 *       on, and stops the registered periodic tasks: their pending ticks are cancelled at once
 *       (so a graceful dispose does not wait for a {@code Flux.interval}'s next tick; Reactor's
 *       executors cancel periodic tasks on {@code shutdown()} too).
 *   <li>Owned pool, {@code dispose()}: {@code shutdownNow()}. Tasks that had not started never
 *       run, and their handles report disposed (direct tasks are handed back by the pool and
 *       disposed here; the pool disposes the Workers it finds queued); running tasks are
 *       interrupted. Called again, after a graceful dispose too, it forces the same again.
 *   <li>Owned pool, {@code disposeGracefully()}: {@code shutdown()}; accepted tasks, delayed
 *       ones included, still run; {@link #onDispose} completes when the pool has terminated.
 *   <li>Wrapped pool: the pool is left alone (it is somebody else's); accepted one-shot tasks
 *       still run; {@link #onDispose} completes at once.
 * </ul>
 *
 * <h2>Fields</h2>
 * <pre>
 *  pool, ownsPool, periodic, onDispose ── final.
 *  disposed ── false → true once, CAS through DISPOSED; volatile loads by every submitter.
 * </pre>
 */
final class Lifecycle {

    /** A scheduler disposed before it was initialised: it has no pool and never will. */
    static final Lifecycle DISPOSED_BEFORE_INIT = new Lifecycle();

    /** Null only for {@link #DISPOSED_BEFORE_INIT}. */
    final WorkStealingPool pool;
    final boolean ownsPool;
    final PeriodicRegistry periodic;
    /** What {@code disposeGracefully()} returns: completes once the pool has terminated. */
    final Mono<Void> onDispose;
    @SuppressWarnings("unused") // accessed through DISPOSED
    private volatile boolean disposed;

    Lifecycle(WorkStealingPool pool, boolean ownsPool) {
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.periodic = new PeriodicRegistry();
        this.onDispose = ownsPool ? TerminationWatch.onTermination(pool) : Mono.empty();
    }

    private Lifecycle() {
        this.pool = null;
        this.ownsPool = false;
        this.periodic = new PeriodicRegistry();
        this.onDispose = Mono.empty();
        this.periodic.dispose();
        this.disposed = true;
    }

    /** Whether new tasks are rejected: disposed. Volatile load. */
    boolean isDisposed() {
        return disposed;
    }

    /**
     * Disposes: see the class comment. Idempotent for {@code graceful}; a forced dispose always
     * calls {@code shutdownNow()} on an owned pool, so it also forces a graceful one. Never
     * throws.
     *
     * @param graceful true for {@code disposeGracefully()}, false for {@code dispose()}
     */
    void dispose(boolean graceful) {
        if (DISPOSED.compareAndSet(this, false, true)) {
            periodic.dispose();
        }
        if (!ownsPool) {
            return;
        }
        try {
            if (graceful) {
                pool.shutdown();
            } else {
                disposeReturned(pool.shutdownNow());
            }
        } catch (Throwable error) {
            ReactorErrors.report(error);
        }
    }

    /**
     * The tasks {@code shutdownNow()} handed back never run: direct tasks are disposed, and the
     * pool timers of delayed and periodic direct tasks cancelled (their handles see that).
     */
    private static void disposeReturned(List<Runnable> neverStarted) {
        for (Runnable task : neverStarted) {
            if (task instanceof DirectRun direct) {
                direct.dispose();
            } else if (task instanceof Future<?> timer) {
                timer.cancel(false);
            }
        }
    }

    private static final VarHandle DISPOSED;

    static {
        try {
            DISPOSED = MethodHandles.lookup().findVarHandle(Lifecycle.class, "disposed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
