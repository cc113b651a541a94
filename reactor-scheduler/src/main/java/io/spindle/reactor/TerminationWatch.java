package io.spindle.reactor;

import io.spindle.core.WorkStealingPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * The completion of {@code disposeGracefully()} for a scheduler that owns its pool: a
 * {@link Mono} that completes once the pool has terminated.
 *
 * <p>The pool has no termination callback, and waiting in {@code awaitTermination} would park
 * a thread, which must be neither a pool thread (it would wait for itself) nor one of Reactor's
 * shared threads. So a watch looks at {@link WorkStealingPool#isTerminated()} (a volatile
 * read, nothing blocks) every {@value #POLL_MILLIS} ms on one shared daemon thread,
 * {@code spindle-reactor-dispose-watch}, which exists only while a watch is running (it times
 * out after {@value #KEEP_ALIVE_SECONDS} s idle).
 *
 * <p>The Mono has Reactor's {@code SchedulerState} semantics (reactor-core #3258): it is
 * {@code Flux.create(watch).replay().refCount().next()}, built once per pool, so every
 * concurrent subscriber shares one watch; when all of them cancel (a {@code timeout}, say), the
 * watch stops, and a later subscriber starts a new one: retryable. A subscriber arriving after
 * termination completes at once.
 */
final class TerminationWatch implements Runnable {

    /** How often a running watch looks at the pool. */
    static final long POLL_MILLIS = 5;
    /** How long the watch thread outlives the last watch. */
    static final long KEEP_ALIVE_SECONDS = 10;

    private final WorkStealingPool pool;
    private final FluxSink<Void> sink;
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> next;

    private TerminationWatch(WorkStealingPool pool, FluxSink<Void> sink) {
        this.pool = pool;
        this.sink = sink;
    }

    /** The shared Mono that completes when {@code pool} has terminated; cold until subscribed. */
    static Mono<Void> onTermination(WorkStealingPool pool) {
        return Flux.<Void>create(sink -> start(pool, sink)).replay().refCount().next();
    }

    private static void start(WorkStealingPool pool, FluxSink<Void> sink) {
        if (pool.isTerminated()) {
            sink.complete();
            return;
        }
        final TerminationWatch watch = new TerminationWatch(pool, sink);
        sink.onCancel(watch::cancel);
        watch.schedule();
    }

    @Override
    public void run() {
        if (cancelled) {
            return;
        }
        if (pool.isTerminated()) {
            sink.complete();
        } else {
            schedule();
        }
    }

    private void schedule() {
        next = Poller.EXECUTOR.schedule(this, POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (cancelled) {
            next.cancel(false);
        }
    }

    private void cancel() {
        cancelled = true;
        final ScheduledFuture<?> scheduled = next;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    /** The watch thread, created on first use. */
    private static final class Poller {
        static final ScheduledThreadPoolExecutor EXECUTOR = newExecutor();

        private Poller() {}

        private static ScheduledThreadPoolExecutor newExecutor() {
            final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                final Thread thread = new Thread(runnable, "spindle-reactor-dispose-watch");
                thread.setDaemon(true);
                return thread;
            });
            executor.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
            executor.allowCoreThreadTimeOut(true);
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}
