package io.spindle.reactor;

import io.spindle.core.WorkStealingPool;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A time-capable Reactor {@link Scheduler} on a {@link WorkStealingPool}: a drop-in for
 * {@code Schedulers.parallel()} whose Workers are not pinned to a thread.
 *
 * <h2>Workers</h2>
 * {@link #createWorker()} returns a Worker that is a {@link io.spindle.core.SerialWorker} (a
 * serial mailbox) underneath: its tasks run one at a time, never overlapping (delayed and
 * periodic ones included), non-delayed ones in the order they were scheduled, but on whichever
 * pool thread is free, so a Worker stuck in a slow task holds up only its own tasks, never
 * another Worker's (with {@code parallel()}, every Worker created on the same thread waits).
 * A drain runs at most {@value io.spindle.core.SerialWorker#DRAIN_BUDGET} tasks before letting
 * the thread's other work run. Creating and disposing a Worker (on the per-subscription path of
 * {@code subscribeOn} and {@code publishOn}) allocates two small objects, owns no thread and
 * takes no lock; each task costs one object, which is also its {@link Disposable}.
 *
 * <h2>Direct tasks</h2>
 * {@code schedule}, {@code schedule(delay)} and {@code schedulePeriodically} on the scheduler go
 * straight to the pool with no Worker, in no particular order among themselves: an immediate
 * task is one object, queued as it is; a delayed one adds a pool timer entry.
 *
 * <h2>Time</h2>
 * Delays wait in the pool's timer wheel (1 ms resolution, never early; zero or negative means
 * now). Periodic tasks are fixed-rate: run {@code k} is due at {@code initialDelay + k·period};
 * runs never overlap, and runs that fell due during a late one follow it back to back. A run
 * that throws is reported and the schedule kept, as with Reactor's own schedulers. A period of
 * zero or less is Reactor's "instant" periodic task: the task is scheduled again as soon as each
 * run returns, and a run that throws stops it. {@link #now(TimeUnit)} is Reactor's default.
 *
 * <h2>Task handles</h2>
 * Disposing a task that has not started keeps it from running (removing a delayed task's timer
 * at once, O(1)). Disposing a running task from another thread interrupts it, as Reactor's
 * schedulers do; from the task itself it never does. {@code isDisposed()} is true once the task
 * has finished, was disposed, or its Worker or scheduler was.
 *
 * <h2>Hooks and errors</h2>
 * Every task passes through {@link Schedulers#onSchedule} exactly once, on the thread that
 * schedules it, periodic ones included (once, not per run); internal tasks (drains, timers, the
 * runs of a periodic task, the error path) never do. What a task throws goes to Reactor's
 * {@code Schedulers.handleError}, so to the thread's uncaught-exception handler and the
 * {@link Schedulers#onHandleError} hook, on the pool thread that ran it, exactly once; it never
 * kills a pool thread.
 *
 * <h2>Non-blocking threads</h2>
 * Threads of the pool's default thread factory, and those of Reactor's own factories (what
 * {@link #factory()} is given), implement Reactor's {@code NonBlocking} marker:
 * {@link Schedulers#isInNonBlockingThread()} is true on them and {@code block()} throws.
 * {@link SpindleBlockHoundIntegration} tells BlockHound the same of every pool thread, whatever
 * made it, and allows the pool's own idle parking.
 *
 * <h2>Lifecycle</h2>
 * <ul>
 *   <li>{@link #create()} and {@link #create(String, int)} return an initialised scheduler that
 *       owns a new pool; {@link #wrap(WorkStealingPool)} one that uses a pool it does not own.
 *       {@link #init()} on them again is a no-op. The schedulers {@link #factory()} makes are
 *       not initialised: Reactor calls {@code init()}, which builds the pool.
 *   <li>{@link #isDisposed()} is false until {@link #dispose()} or {@link #disposeGracefully()}.
 *       From then on every {@code schedule*}, on the scheduler or on any of its Workers, throws
 *       a {@link RejectedExecutionException} (Reactor's {@code Exceptions.failWithRejected});
 *       periodic tasks stop at once; {@code init()} throws {@link IllegalStateException}.
 *   <li>Owned pool: {@code dispose()} is the pool's {@code shutdownNow()}: tasks that have not
 *       started never run and their handles report disposed, running tasks are interrupted.
 *       {@code disposeGracefully()} is {@code shutdown()}: accepted tasks, delayed ones
 *       included, still run, and the returned {@link Mono} completes once the pool has
 *       terminated. That Mono is shared by concurrent subscribers, can be retried after a
 *       {@code timeout}, and a {@code dispose()} afterwards forces {@code shutdownNow()}.
 *   <li>Wrapped pool: the pool is never shut down. Disposing only makes this scheduler reject
 *       and stops its periodic tasks; tasks already accepted are left to the pool, and
 *       {@code disposeGracefully()} completes at once.
 *   <li>No restart: {@link #start()} (deprecated by Reactor) is {@code init()}, so it throws
 *       after a dispose.
 * </ul>
 *
 * <h2>Thread safety</h2>
 * Every method may be called from any thread, pool threads included. Scheduling never blocks
 * and takes no lock (periodic scheduling excepted, which touches a concurrent set).
 */
public final class SpindleScheduler implements Scheduler, Scannable {

    /** The name of the pool {@link #create()} builds. */
    static final String DEFAULT_NAME = "spindle";

    private final String name;
    private final int workers;
    /** Builds the pool at init() for an owning scheduler; null for a wrapping one. */
    private final Supplier<WorkStealingPool> poolFactory;
    /** Null until init() (or a dispose before it); then never changes. Accessed through LIFECYCLE. */
    @SuppressWarnings("unused")
    private volatile Lifecycle lifecycle;

    private SpindleScheduler(String name, int workers, Supplier<WorkStealingPool> poolFactory, Lifecycle lifecycle) {
        this.name = name;
        this.workers = workers;
        this.poolFactory = poolFactory;
        this.lifecycle = lifecycle;
    }

    // ---------------------------------------------------------------- factories

    /**
     * A scheduler that owns a new pool of {@link Runtime#availableProcessors()} daemon workers
     * (at most {@value WorkStealingPool#MAX_WORKERS}) named {@code spindle}, threads
     * {@code spindle-worker-<i>}. Ready to use; {@link #dispose()} stops the pool.
     *
     * @return a new, initialised scheduler
     */
    public static SpindleScheduler create() {
        return create(DEFAULT_NAME, Math.min(WorkStealingPool.MAX_WORKERS, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * A scheduler that owns a new pool of {@code workers} daemon threads named
     * {@code <name>-worker-<i>}, which carry Reactor's {@code NonBlocking} marker. Ready to use;
     * {@link #dispose()} stops the pool.
     *
     * @param name the pool's name, non-blank
     * @param workers the number of worker threads, 1..{@value WorkStealingPool#MAX_WORKERS}
     * @return a new, initialised scheduler
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank or {@code workers} is out of range
     */
    public static SpindleScheduler create(String name, int workers) {
        checkName(name);
        checkWorkers(workers);
        final SpindleScheduler scheduler = new SpindleScheduler(name, workers, () -> WorkStealingPool.builder()
                .name(name)
                .workers(workers)
                .taskErrorHandler(ReactorErrors.HANDLER)
                .build(), null);
        scheduler.init();
        return scheduler;
    }

    /**
     * A scheduler on a pool it does not own, which may back other schedulers (another
     * {@code SpindleScheduler}, an RxJava {@code SpindleRxScheduler}, plain executor use) at the
     * same time. Disposing it never shuts the pool down; see the class comment. Ready to use.
     *
     * @param pool the pool; its lifecycle stays the caller's
     * @return a new, initialised scheduler (which rejects every task if the pool is shut down)
     * @throws NullPointerException if {@code pool} is null
     */
    public static SpindleScheduler wrap(WorkStealingPool pool) {
        Objects.requireNonNull(pool, "pool");
        return new SpindleScheduler(pool.name(), pool.workerCount(), null, new Lifecycle(pool, false));
    }

    /**
     * A {@link Schedulers.Factory} that makes Spindle schedulers for
     * {@code Schedulers.newParallel(...)}, and so for {@code Schedulers.parallel()}, Reactor's
     * default scheduler for time operators ({@code delay*}, {@code interval}, {@code timeout},
     * ...), and for {@code newSingle(...)}/{@code single()}. Install it at start-up:
     * <pre>{@code Schedulers.setFactory(SpindleScheduler.factory());}</pre>
     *
     * <p><b>What it makes.</b>
     * <ul>
     *   <li>{@code newParallel(parallelism, threadFactory)}: an <em>uninitialised</em>
     *       scheduler (Reactor calls {@code init()} right after); {@code init()} builds a pool of
     *       {@code parallelism} workers whose threads come from Reactor's {@code threadFactory},
     *       so they keep Reactor's names ({@code parallel-1}, ...), daemon flag,
     *       {@code NonBlocking} marker and uncaught-exception handler. The pool is named after
     *       the factory's prefix when the factory exposes one (Reactor's do, as a
     *       {@code Supplier<String>}), else {@code spindle}.
     *   <li>{@code newSingle(threadFactory)}: the same with one worker, and no LIFO slot, so
     *       tasks scheduled from the worker thread queue behind earlier ones instead of
     *       jumping ahead. Like {@code single()} its tasks never run in parallel; unlike it,
     *       direct tasks scheduled from inside and outside the thread wait in separate queues,
     *       so their relative order is not strictly FIFO (Reactor's {@code Scheduler.schedule}
     *       promises no order; a Worker's order is kept).
     *   <li>Every other method ({@code newBoundedElastic}, ...) is Reactor's default.
     * </ul>
     *
     * <p><b>Side effects of {@code Schedulers.setFactory}.</b> It disposes the cached
     * {@code parallel()}, {@code single()} and {@code boundedElastic()} schedulers, breaking
     * whatever still uses them (a running {@code interval}, say): install the factory before
     * anything uses Reactor. It changes <em>every</em> later {@code Schedulers.newParallel(...)}
     * and {@code newSingle(...)} of the application and its libraries, not only
     * {@code parallel()}. {@code Schedulers.resetFactory()} undoes it (disposing the cached
     * Spindle schedulers); {@code VirtualTimeScheduler.getOrSet()} replaces it for a test and
     * {@code VirtualTimeScheduler.reset()} restores it.
     *
     * @return the factory, the same instance on every call; stateless and thread-safe
     */
    public static Schedulers.Factory factory() {
        return SpindleSchedulerFactory.INSTANCE;
    }

    /**
     * An uninitialised scheduler owning the pool {@code init()} will build with
     * {@code threadFactory}: what {@link #factory()} makes.
     */
    static SpindleScheduler uninitialised(String name, int workers, ThreadFactory threadFactory, boolean lifoSlot) {
        checkName(name);
        checkWorkers(workers);
        Objects.requireNonNull(threadFactory, "threadFactory");
        return new SpindleScheduler(name, workers, () -> WorkStealingPool.builder()
                .name(name)
                .workers(workers)
                .threadFactory(threadFactory)
                .lifoSlot(lifoSlot)
                .taskErrorHandler(ReactorErrors.HANDLER)
                .build(), null);
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was \"" + name + "\"");
        }
    }

    static void checkWorkers(int workers) {
        if (workers < 1 || workers > WorkStealingPool.MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be in 1.." + WorkStealingPool.MAX_WORKERS + ", was " + workers);
        }
    }

    /**
     * The pool this scheduler submits to.
     *
     * @return the pool; never null
     * @throws IllegalStateException if the scheduler has not been initialised (a scheduler from
     *     {@link #factory()} before {@code init()}), or was disposed before it was
     */
    public WorkStealingPool pool() {
        final Lifecycle current = (Lifecycle) LIFECYCLE.getVolatile(this);
        if (current == null || current.pool == null) {
            throw new IllegalStateException(this + " has no pool: it was " + (current == null ? "not initialised" : "disposed before init()"));
        }
        return current.pool;
    }

    /** The live lifecycle, or a rejection: disposed, or not initialised. */
    private Lifecycle accepting() {
        final Lifecycle current = (Lifecycle) LIFECYCLE.getVolatile(this);
        if (current == null) {
            throw Exceptions.failWithRejected(this + " is not initialised: call init() first");
        }
        if (current.isDisposed()) {
            throw Exceptions.failWithRejected(this + " is disposed");
        }
        return current;
    }

    // ---------------------------------------------------------------- direct tasks

    /**
     * Runs {@code task} on the pool as soon as a thread is free, with no Worker: no order among
     * direct tasks. {@code Schedulers.onSchedule} is applied first, on this thread.
     *
     * @param task the task
     * @return its handle: disposing it before the task starts keeps it from running, disposing
     *     it from another thread while it runs interrupts it; disposed once the task finished
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException if the scheduler is disposed or not initialised, or its
     *     pool is shut down
     */
    @Override
    public Disposable schedule(Runnable task) {
        Objects.requireNonNull(task, "task");
        final Lifecycle current = accepting();
        final DirectTask direct = new DirectTask(Schedulers.onSchedule(task));
        try {
            current.pool.execute(direct);
        } catch (RejectedExecutionException shutDown) {
            throw Exceptions.failWithRejected(shutDown);
        }
        return direct;
    }

    /**
     * Runs {@code task} on the pool no earlier than {@code delay} from now (1 ms timer
     * resolution; zero or negative means now), with no Worker. {@code Schedulers.onSchedule} is
     * applied first, on this thread.
     *
     * @param task the task
     * @param delay the delay
     * @param unit the unit of {@code delay}
     * @return its handle, as for {@link #schedule(Runnable)}; disposing it before the task
     *     starts removes its timer at once
     * @throws NullPointerException if {@code task} or {@code unit} is null
     * @throws RejectedExecutionException if the scheduler is disposed or not initialised, or its
     *     pool is shut down
     */
    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        final Lifecycle current = accepting();
        final DirectTask direct = new DirectTask(Schedulers.onSchedule(task));
        try {
            if (unit.toNanos(delay) <= 0) {
                current.pool.execute(direct);
            } else {
                direct.armed(current.pool.schedule(direct, delay, unit));
            }
        } catch (RejectedExecutionException shutDown) {
            throw Exceptions.failWithRejected(shutDown);
        }
        return direct;
    }

    /**
     * Runs {@code task} first after {@code initialDelay}, then at a fixed rate of one run per
     * {@code period} (a period of zero or less: again as soon as each run returns), with no
     * Worker; runs never overlap. A run that throws is reported and, with a positive period, the
     * schedule is kept; with a period of zero or less the task stops. {@code Schedulers.onSchedule}
     * is applied once, first, on this thread.
     *
     * @param task the task
     * @param initialDelay the delay before the first run; zero or negative means now
     * @param period the time between the starts of two runs
     * @param unit the unit of {@code initialDelay} and {@code period}
     * @return its handle: disposing it stops the task (and interrupts a run in progress if
     *     called from another thread); disposed once the task stopped
     * @throws NullPointerException if {@code task} or {@code unit} is null
     * @throws RejectedExecutionException if the scheduler is disposed or not initialised, or its
     *     pool is shut down
     */
    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        final Lifecycle current = accepting();
        final boolean instant = period <= 0;
        final PeriodicDirectTask periodic = new PeriodicDirectTask(Schedulers.onSchedule(task), current, instant);
        if (!current.periodic.add(periodic)) {
            throw Exceptions.failWithRejected(this + " is disposed");
        }
        try {
            if (!instant) {
                periodic.armed(current.pool.scheduleAtFixedRate(periodic, initialDelay, period, unit));
            } else if (unit.toNanos(initialDelay) <= 0) {
                current.pool.execute(periodic);
            } else {
                periodic.armed(current.pool.schedule(periodic, initialDelay, unit));
            }
        } catch (RejectedExecutionException shutDown) {
            periodic.dispose();
            throw Exceptions.failWithRejected(shutDown);
        }
        return periodic;
    }

    // ---------------------------------------------------------------- workers

    /**
     * A new serial Worker on the pool; see the class comment. Allocates two small objects; no
     * thread, no lock.
     *
     * @return a new Worker; one that rejects every task if this scheduler is disposed
     * @throws RejectedExecutionException if the scheduler is not initialised
     */
    @Override
    public Worker createWorker() {
        final Lifecycle current = (Lifecycle) LIFECYCLE.getVolatile(this);
        if (current == null) {
            throw Exceptions.failWithRejected(this + " is not initialised: call init() first");
        }
        if (current.pool == null) {
            throw Exceptions.failWithRejected(this + " is disposed");
        }
        return new SpindleWorker(current, this);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Initialises the scheduler: a scheduler from {@link #factory()} builds its pool here. A
     * no-op on an initialised scheduler (every one from {@code create} or {@code wrap}).
     * Thread-safe: of racing calls, one builds the pool.
     *
     * @throws IllegalStateException if the scheduler has been disposed ("Initializing a disposed
     *     scheduler is not permitted", Reactor's message)
     */
    @Override
    public void init() {
        Lifecycle current = (Lifecycle) LIFECYCLE.getVolatile(this);
        if (current == null) {
            final Lifecycle fresh = new Lifecycle(poolFactory.get(), true);
            current = (Lifecycle) LIFECYCLE.compareAndExchange(this, (Lifecycle) null, fresh);
            if (current == null) {
                return;
            }
            // Another init() or a dispose() came first.
            fresh.pool.shutdownNow();
        }
        if (current.isDisposed()) {
            throw new IllegalStateException("Initializing a disposed scheduler is not permitted");
        }
    }

    /**
     * Reactor's deprecated restart, which this scheduler does not support: the same as
     * {@link #init()}, so a no-op while the scheduler is live and an
     * {@link IllegalStateException} after a dispose.
     *
     * @deprecated as in Reactor; use {@link #init()}
     */
    @Override
    @Deprecated
    public void start() {
        init();
    }

    /**
     * Disposes the scheduler; see the class comment. With an owned pool, {@code shutdownNow()},
     * also after a {@link #disposeGracefully()} (forcing it). Idempotent; thread-safe; never
     * blocks. Before {@code init()}, it only marks the scheduler disposed.
     */
    @Override
    public void dispose() {
        final Lifecycle current = lifecycleForDispose();
        if (current != null) {
            current.dispose(false);
        }
    }

    /**
     * Disposes the scheduler gracefully; see the class comment. The work starts when the Mono is
     * subscribed to: the scheduler rejects new tasks from then on and, with an owned pool, the
     * pool is shut down ({@code shutdown()}) and the Mono completes once it has terminated,
     * without parking any pool or Reactor thread meanwhile. Every subscriber, concurrent or
     * later, shares that completion; a subscriber that gives up (a {@code timeout}) can be
     * followed by another, and a {@link #dispose()} forces the shutdown. With a wrapped pool, or
     * before {@code init()}, it completes at once.
     *
     * @return a Mono that completes when the scheduler has terminated; never errors
     */
    @Override
    public Mono<Void> disposeGracefully() {
        return Mono.defer(() -> {
            final Lifecycle current = lifecycleForDispose();
            if (current == null) {
                return Mono.empty();
            }
            current.dispose(true);
            return current.onDispose;
        });
    }

    /** The lifecycle to dispose, or null after marking a never-initialised scheduler disposed. */
    private Lifecycle lifecycleForDispose() {
        final Lifecycle current = (Lifecycle) LIFECYCLE.compareAndExchange(this, (Lifecycle) null, Lifecycle.DISPOSED_BEFORE_INIT);
        return current == null || current == Lifecycle.DISPOSED_BEFORE_INIT ? null : current;
    }

    /**
     * Whether {@link #dispose()} or {@link #disposeGracefully()} has been called. False before
     * {@link #init()}.
     *
     * @return true once the scheduler rejects new tasks
     */
    @Override
    public boolean isDisposed() {
        final Lifecycle current = (Lifecycle) LIFECYCLE.getVolatile(this);
        return current != null && current.isDisposed();
    }

    /**
     * Whether this scheduler owns its pool (made by {@code create} or {@link #factory()}) rather
     * than wrapping one.
     *
     * @return true if disposing this scheduler shuts the pool down
     */
    public boolean ownsPool() {
        return poolFactory != null;
    }

    // ---------------------------------------------------------------- introspection

    /**
     * Reactor's scheduler attributes: {@code NAME} ({@link #toString()}), {@code CAPACITY} (the
     * number of workers), {@code BUFFERED} (tasks queued in the pool right now, inject and local
     * queues; Workers with queued tasks count once each, and delayed tasks not yet due are not
     * counted), {@code TERMINATED} and {@code CANCELLED} ({@link #isDisposed()}). No parent.
     * Any thread.
     */
    @Override
    @SuppressWarnings("rawtypes") // Scannable declares the raw type
    public Object scanUnsafe(Attr key) {
        if (key == Attr.TERMINATED || key == Attr.CANCELLED) {
            return isDisposed();
        }
        if (key == Attr.CAPACITY) {
            return workers;
        }
        if (key == Attr.BUFFERED) {
            return queuedTasks();
        }
        if (key == Attr.NAME) {
            return toString();
        }
        return null;
    }

    private int queuedTasks() {
        final Lifecycle current = (Lifecycle) LIFECYCLE.getVolatile(this);
        if (current == null || current.pool == null) {
            return 0;
        }
        final var metrics = current.pool.metrics();
        long queued = metrics.injectQueueDepth();
        for (int i = 0; i < metrics.workers(); i++) {
            queued += metrics.localQueueDepth(i);
        }
        return (int) Math.min(Integer.MAX_VALUE, queued);
    }

    /**
     * Reactor's convention: {@code spindle(<workers>,"<name>")}, e.g. {@code spindle(4,"parallel")}.
     */
    @Override
    public String toString() {
        return "spindle(" + workers + ",\"" + name + "\")";
    }

    private static final VarHandle LIFECYCLE;

    static {
        try {
            LIFECYCLE = MethodHandles.lookup().findVarHandle(SpindleScheduler.class, "lifecycle", Lifecycle.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
