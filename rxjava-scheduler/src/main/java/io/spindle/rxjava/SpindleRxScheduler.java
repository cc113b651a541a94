package io.spindle.rxjava;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.functions.Function;
import io.reactivex.rxjava3.internal.schedulers.SchedulerMultiWorkerSupport;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.spindle.core.WorkStealingPool;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An RxJava 3 {@link Scheduler} on a {@link WorkStealingPool}: a drop-in for
 * {@code Schedulers.computation()} whose Workers are not pinned to a thread.
 *
 * <h2>Workers</h2>
 * {@link #createWorker()} returns a Worker that is a {@link io.spindle.core.SerialWorker} (a
 * serial mailbox) underneath: its tasks run one at a time, never overlapping, non-delayed ones
 * in the order they were scheduled, but on whichever pool thread is free, so a Worker stuck in
 * a slow task holds up only its own tasks, never another Worker's (RxJava #3608, #5561, #7294).
 * A drain runs at most {@value io.spindle.core.SerialWorker#DRAIN_BUDGET} tasks before letting
 * the thread's other work run. Creating and disposing a Worker allocates two small objects and
 * owns no thread; each task costs one object (the task is its own {@link Disposable}).
 * Delayed tasks wait in the pool's timer wheel (1 ms resolution, never early) and then join the
 * mailbox. Periodic tasks are fixed-rate on {@link #now(TimeUnit)}, with RxJava's clock-drift
 * rebasing ({@link Scheduler#clockDriftTolerance()}); a run that throws stops the task.
 *
 * <h2>Direct tasks</h2>
 * {@code scheduleDirect} and {@code schedulePeriodicallyDirect} go straight to the pool, with no
 * Worker: a direct task is one object (its own pool task and {@link Disposable}), a delayed one
 * adds one pool timer. Direct tasks are not ordered among themselves. Their {@code Disposable}s
 * implement {@link io.reactivex.rxjava3.schedulers.SchedulerRunnableIntrospection} and return
 * the runnable {@code RxJavaPlugins.onSchedule} gave back, and report {@code isDisposed()} once
 * the task has finished. Disposing a task that has not started removes it (a delayed one's timer
 * at once); disposing a running task never interrupts it.
 *
 * <h2>Hooks and errors</h2>
 * Every task passes through {@link RxJavaPlugins#onSchedule} exactly once, first, on the thread
 * that schedules it, periodic ones included (once, not per run); so a null runnable fails with
 * {@code NullPointerException("run is null")}. What a task throws goes to
 * {@link RxJavaPlugins#onError} and never kills a pool thread; a periodic task that throws
 * stops. Pool threads made by the pool's default thread factory implement RxJava's
 * {@code NonBlockingThread} marker, so {@code RxJavaPlugins.setFailOnNonBlockingScheduler(true)}
 * makes {@code blockingX} fail on them, as on {@code computation()}.
 *
 * <h2>Lifecycle</h2>
 * A scheduler from {@link #create()} or {@link #create(String, int)} owns its pool:
 * {@link #shutdown()} stops the pool with {@code shutdownNow()} (tasks that have not started
 * never run and their {@code Disposable}s report disposed; running tasks are interrupted), and
 * {@link #start()} after a shutdown creates a new pool with the same settings, so the scheduler
 * works again, as {@code computation()} does across {@code Schedulers.shutdown()/start()}.
 * A scheduler from {@link #wrap(WorkStealingPool)} never shuts its pool down: {@code shutdown()}
 * only makes it reject new tasks and stops its periodic tasks at their next run; tasks already
 * accepted are left to the pool. In both cases, after {@code shutdown()} every {@code schedule*}
 * (direct, or on any Worker created before) returns {@link Disposable#disposed()}, and Workers
 * created before a shutdown stay dead after the next {@code start()}. {@code start()} and
 * {@code shutdown()} are idempotent, thread-safe and never throw.
 *
 * <h2>Installing as computation()</h2>
 * See {@link #installAsComputation()}.
 *
 * <h2>Thread safety</h2>
 * Every method may be called from any thread, pool threads included. Scheduling never blocks;
 * only {@code start()}/{@code shutdown()} take a lock, shared with nothing on the task path.
 */
public final class SpindleRxScheduler extends Scheduler implements SchedulerMultiWorkerSupport {

    /** The name of the pool {@link #create()} builds, and of the one behind {@link #installAsComputation()}. */
    static final String DEFAULT_NAME = "spindle-rx";
    static final String COMPUTATION_NAME = "spindle-rx-computation";
    /** RxJava's system property for the number of computation threads, honoured by {@link #installAsComputation()}. */
    static final String COMPUTATION_THREADS_PROPERTY = "rx3.computation-threads";

    /** Makes the pool of each run of an owning scheduler; null for a wrapping one. */
    private final Supplier<WorkStealingPool> poolFactory;
    /** The current run; replaced (under {@link #lifecycleLock}) only by a start() after a shutdown(). */
    private volatile Lifecycle lifecycle;
    private final Object lifecycleLock = new Object();

    private SpindleRxScheduler(Supplier<WorkStealingPool> poolFactory, WorkStealingPool pool) {
        this.poolFactory = poolFactory;
        this.lifecycle = new Lifecycle(pool);
    }

    // ---------------------------------------------------------------- factories

    /**
     * A scheduler that owns a new pool of {@link Runtime#availableProcessors()} daemon workers
     * named {@code spindle-rx}. Ready to use; {@link #shutdown()} stops the pool.
     *
     * @return a new, started scheduler
     */
    public static SpindleRxScheduler create() {
        return create(DEFAULT_NAME, Math.min(WorkStealingPool.MAX_WORKERS, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * A scheduler that owns a new pool of {@code workers} daemon threads named
     * {@code <name>-worker-<i>}. Ready to use; {@link #shutdown()} stops the pool and
     * {@link #start()} makes a new one with the same settings.
     *
     * @param name the pool's name, non-blank
     * @param workers the number of worker threads, 1..{@value WorkStealingPool#MAX_WORKERS}
     * @return a new, started scheduler
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank or {@code workers} is out of range
     */
    public static SpindleRxScheduler create(String name, int workers) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was \"" + name + "\"");
        }
        if (workers < 1 || workers > WorkStealingPool.MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be in 1.." + WorkStealingPool.MAX_WORKERS + ", was " + workers);
        }
        final Supplier<WorkStealingPool> factory = () -> WorkStealingPool.builder()
                .name(name)
                .workers(workers)
                .taskErrorHandler(RxErrors.TO_PLUGINS)
                .build();
        return new SpindleRxScheduler(factory, factory.get());
    }

    /**
     * A scheduler on a pool it does not own, which may back other schedulers (a Reactor
     * {@code SpindleScheduler}, plain executor use) at the same time. {@link #shutdown()} never
     * shuts the pool down: it only makes this scheduler reject new tasks, until {@link #start()}.
     *
     * @param pool the pool; its lifecycle stays the caller's
     * @return a new, started scheduler (disposed-returning at once if the pool is already shut down)
     * @throws NullPointerException if {@code pool} is null
     */
    public static SpindleRxScheduler wrap(WorkStealingPool pool) {
        Objects.requireNonNull(pool, "pool");
        return new SpindleRxScheduler(null, pool);
    }

    /**
     * The pool this scheduler submits to now. For an owning scheduler, a new pool after each
     * {@code shutdown()}/{@code start()} cycle.
     *
     * @return the current pool; never null
     */
    public WorkStealingPool pool() {
        return lifecycle.pool;
    }

    // ---------------------------------------------------------------- workers

    /**
     * A new serial Worker on the pool; see the class comment. After {@link #shutdown()}, a Worker
     * that rejects every task.
     *
     * @return a new Worker; never null
     */
    @Override
    public Worker createWorker() {
        return new SpindleRxWorker(lifecycle);
    }

    /**
     * For {@code Flowable.parallel().runOn(...)}: one distinct Worker per rail. The rails'
     * Workers are independent mailboxes that migrate between threads, so rails spread over the
     * pool as threads free up instead of being dealt round-robin to fixed threads.
     *
     * @param number the number of Workers, {@code >= 0}
     * @param callback receives each index and its Worker, on the calling thread
     * @throws NullPointerException if {@code callback} is null and {@code number > 0}
     */
    @Override
    public void createWorkers(int number, WorkerCallback callback) {
        final Lifecycle current = lifecycle;
        for (int i = 0; i < number; i++) {
            callback.onWorker(i, new SpindleRxWorker(current));
        }
    }

    // ---------------------------------------------------------------- direct tasks

    /**
     * Runs {@code run} on the pool as soon as a thread is free, with no Worker: no ordering with
     * other direct tasks. {@code RxJavaPlugins.onSchedule} is applied first.
     *
     * @param run the task
     * @return its handle: disposing it before it starts keeps it from running; disposed once it
     *     finished; {@link Disposable#disposed()} if the scheduler is shut down
     * @throws NullPointerException if {@code run} is null ("run is null")
     */
    @Override
    public Disposable scheduleDirect(Runnable run) {
        return scheduleDirect(run, 0, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs {@code run} on the pool no earlier than {@code delay} from now (1 ms timer resolution;
     * zero or negative means now), with no Worker. {@code RxJavaPlugins.onSchedule} is applied
     * first.
     *
     * @param run the task
     * @param delay the delay
     * @param unit the unit of {@code delay}
     * @return its handle, which also implements
     *     {@link io.reactivex.rxjava3.schedulers.SchedulerRunnableIntrospection}: disposing it
     *     before it starts removes its timer; disposed once it finished;
     *     {@link Disposable#disposed()} if the scheduler is shut down
     * @throws NullPointerException if {@code run} ("run is null") or {@code unit} is null
     */
    @Override
    public Disposable scheduleDirect(Runnable run, long delay, TimeUnit unit) {
        final Runnable decorated = RxJavaPlugins.onSchedule(run);
        Objects.requireNonNull(unit, "unit is null");
        final Lifecycle current = lifecycle;
        if (current.shutdown) {
            return Disposable.disposed();
        }
        final DirectTask task = new DirectTask(decorated);
        try {
            if (unit.toNanos(delay) <= 0) {
                current.pool.execute(task);
            } else {
                task.armed(current.pool.schedule(task, delay, unit));
            }
        } catch (RejectedExecutionException shutDown) {
            return Disposable.disposed();
        }
        return task;
    }

    /**
     * Runs {@code run} first after {@code initialDelay}, then at a fixed rate of one run per
     * {@code period} measured on {@link #now(TimeUnit)} with RxJava's clock-drift rebasing
     * (a period of zero or less repeats with no delay); runs never overlap. The task stops when
     * its handle is disposed, when a run throws (the error goes to
     * {@code RxJavaPlugins.onError}) and when the scheduler shuts down.
     * {@code RxJavaPlugins.onSchedule} is applied once, first.
     *
     * @param run the task
     * @param initialDelay the delay before the first run
     * @param period the time between the starts of two runs
     * @param unit the unit of {@code initialDelay} and {@code period}
     * @return its handle, which also implements
     *     {@link io.reactivex.rxjava3.schedulers.SchedulerRunnableIntrospection};
     *     {@link Disposable#disposed()} if the scheduler is shut down
     * @throws NullPointerException if {@code run} ("run is null") or {@code unit} is null
     */
    @Override
    public Disposable schedulePeriodicallyDirect(Runnable run, long initialDelay, long period, TimeUnit unit) {
        final Runnable decorated = RxJavaPlugins.onSchedule(run);
        Objects.requireNonNull(unit, "unit is null");
        final Lifecycle current = lifecycle;
        if (current.shutdown) {
            return Disposable.disposed();
        }
        final long initialDelayNanos = unit.toNanos(initialDelay);
        final PeriodicDirectTask task = new PeriodicDirectTask(decorated, current, this, now(TimeUnit.NANOSECONDS), initialDelayNanos, unit.toNanos(period));
        return task.arm(initialDelayNanos) ? task : Disposable.disposed();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts the scheduler again after a {@link #shutdown()} (or after its pool was shut down
     * directly); a no-op while it runs. An owning scheduler builds a new pool with the same name
     * and size; a wrapping one accepts tasks on its pool again (if that pool is still up).
     * Workers created before the shutdown stay disposed. Idempotent, thread-safe; never throws: if the new pool cannot be built, the
     * error goes to {@code RxJavaPlugins.onError} and the scheduler stays shut down.
     */
    @Override
    public void start() {
        synchronized (lifecycleLock) {
            final Lifecycle current = lifecycle;
            if (!current.rejects()) {
                return;
            }
            current.shutdown = true;
            try {
                lifecycle = new Lifecycle(poolFactory != null ? poolFactory.get() : current.pool);
            } catch (Throwable error) {
                RxErrors.report(error);
            }
        }
    }

    /**
     * Stops the scheduler: from now on every {@code schedule*}, direct or on any of its Workers,
     * returns {@link Disposable#disposed()}. An owning scheduler stops its pool with
     * {@code shutdownNow()}: tasks that had not started never run and report disposed, running
     * ones are interrupted, and the threads end. A wrapping scheduler leaves the pool running
     * and its accepted tasks to it, except that its periodic tasks stop at their next run.
     * Idempotent, thread-safe; never throws.
     */
    @Override
    public void shutdown() {
        final Lifecycle current;
        synchronized (lifecycleLock) {
            current = lifecycle;
            if (current.shutdown) {
                return;
            }
            current.shutdown = true;
        }
        if (poolFactory != null) {
            try {
                disposeReturned(current.pool.shutdownNow());
            } catch (Throwable error) {
                RxErrors.report(error);
            }
        }
    }

    /** Marks the tasks shutdownNow() handed back as disposed: direct ones, and pool timers. */
    private static void disposeReturned(List<Runnable> neverStarted) {
        for (Runnable task : neverStarted) {
            if (task instanceof DirectTask direct) {
                direct.dispose();
            } else if (task instanceof Future<?> timer) {
                timer.cancel(false);
            }
        }
    }

    /**
     * Whether {@link #shutdown()} was called and no {@link #start()} since.
     *
     * @return true while the scheduler rejects tasks
     */
    public boolean isShutdown() {
        return lifecycle.rejects();
    }

    /**
     * Whether this scheduler owns its pool (made by {@code create}) rather than wrapping one.
     *
     * @return true if {@link #shutdown()} stops the pool
     */
    public boolean ownsPool() {
        return poolFactory != null;
    }

    @Override
    public String toString() {
        final Lifecycle current = lifecycle;
        return "SpindleRxScheduler[" + (poolFactory != null ? "owned" : "wrapped") + ", "
                + (current.rejects() ? "shut down" : "running") + ", pool=" + current.pool.name() + "]";
    }

    // ---------------------------------------------------------------- computation()

    /**
     * Makes {@code Schedulers.computation()} return a Spindle scheduler from now on: one
     * scheduler that owns its pool, created on the first {@code computation()} call after this
     * and shared by every later one, with {@code rx3.computation-threads} workers if that system
     * property is set (capped at the processor count, as RxJava does), else one per processor.
     * {@code Schedulers.shutdown()} and {@code Schedulers.start()} stop and restart it.
     * Idempotent.
     *
     * <p><b>How, and ordering constraints.</b> This sets
     * {@link RxJavaPlugins#setComputationSchedulerHandler}, the handler RxJava applies on every
     * {@code computation()} call, so it works whenever it is called, before or after
     * {@code Schedulers} was first used, and {@link #uninstallComputation()} can undo it.
     * Operators that already captured the previous {@code computation()} scheduler (a running
     * {@code interval}, say) keep using it; install before building the flows. It replaces
     * any computation handler set before (including a previous {@code RxJavaPlugins} setup), and
     * {@code RxJavaPlugins.reset()} removes it. It cannot be called after
     * {@link RxJavaPlugins#lockdown()}: RxJava then refuses to change any handler.
     *
     * <p>RxJava's other hook, {@link RxJavaPlugins#setInitComputationSchedulerHandler}, is not
     * used: it is consulted only once, while the {@code Schedulers} class initialises, so it
     * would work only if called before anything touched {@code Schedulers} (which a library
     * cannot promise), it could never be undone, and its function must not touch
     * {@code Schedulers} itself. Its one advantage, that RxJava never builds its own
     * computation scheduler, is small: that scheduler's threads start only when it runs a task,
     * and with the handler installed it never gets one. An application that controls its
     * start-up can still use it, with {@code RxJavaPlugins.setInitComputationSchedulerHandler(s
     * -> SpindleRxScheduler.create())} before any RxJava call.
     *
     * @throws IllegalStateException if {@code RxJavaPlugins.lockdown()} was called
     */
    public static void installAsComputation() {
        RxJavaPlugins.setComputationSchedulerHandler(ComputationHolder.HANDLER);
    }

    /**
     * Undoes {@link #installAsComputation()}, for tests: if the computation handler is still the
     * one it set, removes it (so {@code Schedulers.computation()} is RxJava's own again) and
     * shuts the installed scheduler down; a later {@code installAsComputation()} then creates a
     * fresh one. Does nothing if it was not installed. Thread-safe.
     *
     * @throws IllegalStateException if {@code RxJavaPlugins.lockdown()} was called while the
     *     handler was installed
     */
    public static void uninstallComputation() {
        if (RxJavaPlugins.getComputationSchedulerHandler() == ComputationHolder.HANDLER) {
            RxJavaPlugins.setComputationSchedulerHandler(null);
        }
        ComputationHolder.release();
    }

    /** The scheduler behind {@link #installAsComputation()}, made on first use. */
    static final class ComputationHolder {

        static final Function<Scheduler, Scheduler> HANDLER = ignoredDefault -> get();

        private static SpindleRxScheduler installed;

        private ComputationHolder() {}

        static synchronized SpindleRxScheduler get() {
            SpindleRxScheduler scheduler = installed;
            if (scheduler == null) {
                scheduler = create(COMPUTATION_NAME, computationThreads());
                installed = scheduler;
            }
            return scheduler;
        }

        static void release() {
            final SpindleRxScheduler scheduler;
            synchronized (ComputationHolder.class) {
                scheduler = installed;
                installed = null;
            }
            if (scheduler != null) {
                scheduler.shutdown();
            }
        }

        /** RxJava's rule for {@code rx3.computation-threads}: 1..processors, processors if unset or out of range. */
        static int computationThreads() {
            final int processors = Math.min(WorkStealingPool.MAX_WORKERS, Runtime.getRuntime().availableProcessors());
            final int requested = Integer.getInteger(COMPUTATION_THREADS_PROPERTY, 0);
            return requested <= 0 || requested > processors ? processors : requested;
        }
    }
}
