package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A work-stealing thread pool after Tokio's multi-threaded scheduler, for small tasks in great
 * numbers: Reactor and RxJava operators, actor mailboxes, request fan-out.
 *
 * <h2>Implementation overview</h2>
 * A fixed set of workers, each a thread with a bounded local queue (a ring, see
 * {@link LocalQueue}) and a LIFO slot, share one unbounded {@link InjectQueue}. Work submitted
 * from outside the pool enters the inject queue; work submitted by a running task stays on its
 * worker, in the LIFO slot (so a message-passing chain runs on one warm core), the displaced
 * task going to the local queue. A full local queue sends half of itself to the inject queue in
 * one splice. Idle workers steal half of a busy worker's local queue. The run loop, the order in
 * which a worker looks for work and how often it checks the inject queue are described on
 * {@link Worker}.
 *
 * <p>Idle workers park. The wake-up protocol ({@link Idle}) wakes one worker per burst of
 * submissions rather than one per task: a submitter wakes a parked worker only when no worker is
 * searching; the woken worker searches, and when it finds work it wakes the next one if it was
 * the last searcher, so the pool ramps up one worker at a time and a steady stream of
 * submissions costs one atomic read each and no {@code unpark}. No submission is ever left
 * without a worker to run it: the last searcher to park re-scans every queue, and every parking
 * worker re-checks the inject queue, after announcing itself parked.
 *
 * <h2>Threads and submission</h2>
 * Submitting never blocks and never parks, from any thread: the inject queue is guarded by a
 * short spin lock (see {@link InjectQueue}), and waking a worker is an atomic update plus
 * {@link LockSupport#unpark}. That makes the pool safe to submit to from event loops and other
 * non-blocking threads. Tasks submitted from one thread run in no particular order relative to
 * each other; use a {@link SerialWorker} (what the Reactor and RxJava adapters' Workers are) for FIFO.
 *
 * <h2>Time</h2>
 * The pool is a {@link ScheduledExecutorService}. Delayed and periodic tasks wait in a
 * hierarchical timing wheel with a resolution of one millisecond ({@link TimerWheel}), split
 * into shards so that threads scheduling and cancelling at once rarely meet
 * ({@link TimerShard}). Scheduling and cancelling are O(1), never block and allocate one object
 * per timer (about 56 bytes; the returned future is the wheel entry); a cancelled timer leaves
 * the wheel at once. A dedicated daemon thread, {@code <name>-timer}, sleeps until the earliest
 * deadline and hands every task due by then to the workers as one batch ({@link Timers}
 * explains why a thread of its own rather than a worker). Deadlines are rounded up to the next
 * millisecond, so no task runs early; an idle pool with no timers does not wake up at all.
 *
 * <h2>Lifecycle</h2>
 * <ul>
 *   <li>{@link #shutdown()}: new submissions are rejected with a
 *       {@link RejectedExecutionException} naming the pool; everything already accepted runs,
 *       including tasks those tasks had queued and one-shot delayed tasks, when due; periodic
 *       tasks are cancelled; then the threads end.
 *   <li>{@link #shutdownNow()}: new submissions are rejected; every accepted task that has not
 *       started is taken out of the inject queue, every local queue and every LIFO slot and
 *       returned, exactly as it was submitted; running tasks are interrupted. A task accepted
 *       while {@code shutdownNow} was draining, which it could not return, still runs. Every
 *       accepted task therefore either runs once or is returned once: none is lost, none runs
 *       twice.
 *   <li>{@link #close()}: {@code shutdown()} and wait for termination.
 * </ul>
 *
 * <h2>Errors</h2>
 * A task that throws, {@link Error}s included, never kills its worker: the throwable goes to the
 * pool's {@link TaskErrorHandler}. If a worker thread dies anyway (the handler itself threw), the
 * pool starts a replacement thread that takes over the dead one's queues.
 *
 * <h2>Metrics</h2>
 * {@link #metrics()} reads the per-worker counters (steals, overflows, polls, parks, busy time
 * and more); see {@link PoolMetrics}.
 *
 * <h2>Stall detection and JFR</h2>
 * A worker that runs one task for longer than {@link Builder#stallThreshold} (default 1 s) is
 * reported once per stall to the {@link StallListener}, as the JFR event
 * {@code io.spindle.WorkerStall}, and in {@link PoolMetrics#stallCount(int)}; its LIFO-slot task
 * moves to the inject queue. The detector runs on a daemon thread {@code <name>-monitor} that
 * parks without a timeout while every worker is parked; see {@link StallDetector}. The workers
 * also emit the JFR events {@code io.spindle.WorkerPark}, {@code io.spindle.Steal} and
 * {@code io.spindle.Overflow} when a recording enables them, and pay one flag check each
 * otherwise.
 */
public final class WorkStealingPool extends AbstractExecutorService implements ScheduledExecutorService, AutoCloseable {

    /** The most workers the idle state's 16-bit counters can hold. */
    public static final int MAX_WORKERS = 0x7FFF;
    /** The default {@link Builder#stallThreshold}. */
    public static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofSeconds(1);
    /** The shortest non-zero {@link Builder#stallThreshold}: shorter would report ordinary tasks. */
    public static final Duration MIN_STALL_THRESHOLD = Duration.ofMillis(1);
    /** The longest {@link Builder#stallThreshold}. */
    public static final Duration MAX_STALL_THRESHOLD = Duration.ofHours(1);
    static final int MIN_LOCAL_QUEUE_CAPACITY = 4;
    static final int MAX_LOCAL_QUEUE_CAPACITY = 1 << 16;
    static final int DEFAULT_LOCAL_QUEUE_CAPACITY = 256;
    /**
     * The longest delay honoured, about 146 years; longer ones are cut to it, so that a
     * deadline never overflows {@link System#nanoTime()} arithmetic.
     */
    static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 1;

    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOP = 2;
    private static final int TERMINATED = 3;

    /** The worker whose loop runs on the current thread, if any. */
    private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();
    private static final AtomicInteger POOL_SEQUENCE = new AtomicInteger();

    final InjectQueue<Task> inject = new InjectQueue<>();
    final Worker[] workers;
    final Idle idle;
    final boolean lifoSlot;
    final Timers timers;
    final boolean taskDurationHistogram;
    /** Null when stall detection is off. */
    private final StallDetector stallDetector;
    private final StallMonitor stallMonitor;

    private final String name;
    private final ThreadFactory threadFactory;
    private final TaskErrorHandler taskErrorHandler;
    /** Worker threads that have not exited; the last one terminates the pool. */
    private final AtomicInteger liveWorkers;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final PoolMetrics metrics = new Metrics();

    /** RUNNING → SHUTDOWN → STOP → TERMINATED, only forward: volatile reads, CAS through RUN_STATE. */
    private volatile int runState;
    /** Index of the worker that parked most recently: where a waker starts looking. */
    private volatile int parkedHint;
    /**
     * Index of the parked worker that watches LIFO slots for tasks held by a stuck owner, or -1.
     * Claimed by CAS when a worker parks while another is still running; see
     * {@link Worker#STALL_CHECK_NANOS}.
     */
    private final AtomicInteger lifoWatcher = new AtomicInteger(-1);

    private WorkStealingPool(Builder builder) {
        this.name = builder.name != null ? builder.name : "spindle-" + POOL_SEQUENCE.incrementAndGet();
        this.lifoSlot = builder.lifoSlot;
        this.taskDurationHistogram = builder.taskDurationHistogram;
        this.taskErrorHandler = builder.taskErrorHandler;
        final int count = builder.workers;
        if (builder.stallThreshold.isZero()) {
            this.stallDetector = null;
            this.stallMonitor = null;
            this.idle = new Idle(count);
        } else {
            this.stallDetector = new StallDetector(this, count, builder.stallThreshold, builder.stallListener);
            this.stallMonitor = new StallMonitor(this, stallDetector);
            this.idle = new Idle(count, stallMonitor::firstWorkerUnparked);
        }
        this.workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker(this, i, builder.localQueueCapacity, builder.globalQueueInterval, count);
        }
        this.timers = new Timers(this, name, count);
        this.threadFactory = builder.threadFactory != null ? builder.threadFactory : defaultThreadFactory(builder.daemon);
        this.liveWorkers = new AtomicInteger(count);
        for (Worker worker : workers) {
            final Thread thread = newWorkerThread(worker);
            if (thread == null) {
                shutdownNow();
                throw new IllegalStateException("thread factory " + threadFactory + " returned no thread for worker " + worker.index + " of " + name);
            }
            worker.thread = thread;
        }
        if (stallMonitor != null) {
            stallMonitor.start();
        }
        for (Worker worker : workers) {
            worker.thread.start();
        }
        timers.startDriver();
    }

    /**
     * A pool with one worker per available processor and every other setting at its default.
     *
     * @return a new, running pool
     */
    public static WorkStealingPool create() {
        return builder().build();
    }

    /**
     * A builder for a pool with non-default settings.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- submission

    /**
     * Runs {@code command} on a worker at some point.
     *
     * <p>From one of this pool's workers, the task goes to that worker's LIFO slot and runs right
     * after the current task (unless the LIFO slot is disabled); from any other thread it goes
     * to the inject queue. Never blocks.
     *
     * <p>A {@link Task} is queued as it is, with no allocation; it must not be submitted again
     * until it has started running. Any other runnable is wrapped.
     *
     * @param command the task
     * @throws NullPointerException if {@code command} is null
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        submit(RunnableTask.wrap(command), command);
    }

    /** Queues an accepted task: the LIFO slot on a worker, else the inject queue. */
    private void submit(Task task, Runnable original) {
        final Worker worker = currentWorker();
        if (worker != null) {
            if (runState != RUNNING) {
                throw rejected(original);
            }
            worker.scheduleLocal(task);
            return;
        }
        if (runState != RUNNING || !inject.push(task)) {
            throw rejected(original);
        }
        notifyParked();
    }

    /**
     * Queues a task the pool already accepted (a periodic task's next run that is already due,
     * a {@link SerialWorker} with tasks it accepted), whatever the run state: nothing accepted
     * is dropped. Like {@link #execute}, the LIFO slot on a worker, else the inject queue.
     */
    void executeInternal(Task task) {
        final Worker worker = currentWorker();
        if (worker != null) {
            worker.scheduleLocal(task);
        } else {
            pushEvenIfClosed(task);
        }
    }

    /**
     * Queues an accepted task behind everything already queued on this thread: the back of the
     * local queue on a worker (never the LIFO slot), else the inject queue. A
     * {@link SerialWorker} that used up its drain budget yields this way.
     */
    void executeAtBack(Task task) {
        final Worker worker = currentWorker();
        if (worker != null) {
            worker.scheduleBack(task);
        } else {
            pushEvenIfClosed(task);
        }
    }

    /** Into the inject queue, counted as a remote schedule while the queue is open. */
    private void pushEvenIfClosed(Task task) {
        if (!inject.push(task)) {
            inject.spliceEvenIfClosed(task, task, 1);
        }
        notifyParked();
    }

    // ---------------------------------------------------------------- timers

    /**
     * Runs {@code command} once, no earlier than {@code delay} from now.
     *
     * <p>The timer's resolution is one millisecond: a deadline is rounded up to the next
     * millisecond tick, so a task never runs early and typically runs within a millisecond or
     * two of its deadline (more if every worker is busy). A delay of zero or less runs the task
     * as soon as possible, exactly like {@link #execute}. Delays beyond about 146 years are cut
     * to that. Scheduling and cancelling are O(1) and never block.
     *
     * <p>An exception thrown by the task completes the returned future exceptionally; it does
     * not reach the pool's {@link TaskErrorHandler}.
     *
     * @param command the task
     * @param delay the delay; zero or negative for "now"
     * @param unit the unit of {@code delay}
     * @return a future that completes with {@code null} when the task has run; cancelling it
     *     before the task starts removes the timer at once
     * @throws NullPointerException if {@code command} or {@code unit} is null
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(unit, "unit");
        final long delayNanos = delayNanos(delay, unit);
        return scheduleTask(new ScheduledTask<Void>(timers.shardFor(currentWorker()), command, System.nanoTime() + delayNanos), delayNanos, command);
    }

    /**
     * Calls {@code callable} once, no earlier than {@code delay} from now. Timing as for
     * {@link #schedule(Runnable, long, TimeUnit)}.
     *
     * @param callable the task
     * @param delay the delay; zero or negative for "now"
     * @param unit the unit of {@code delay}
     * @param <V> the result type
     * @return a future that completes with the callable's result, or exceptionally with what it
     *     threw
     * @throws NullPointerException if {@code callable} or {@code unit} is null
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        Objects.requireNonNull(unit, "unit");
        final long delayNanos = delayNanos(delay, unit);
        return scheduleTask(new ScheduledTask<V>(timers.shardFor(currentWorker()), callable, System.nanoTime() + delayNanos), delayNanos, callable);
    }

    /**
     * Runs {@code command} first after {@code initialDelay}, then every {@code period}, measured
     * from deadline to deadline.
     *
     * <p>Runs never overlap: the next run is scheduled when one returns. A run that takes longer
     * than the period makes the following runs late, and those that fell due meanwhile run one
     * after another, never at the same time. Timing as for
     * {@link #schedule(Runnable, long, TimeUnit)}; periods below the 1 ms resolution are kept on
     * average, several runs falling into one tick.
     *
     * <p>The task stops when the future is cancelled, when a run throws (the future then
     * completes exceptionally with the throwable), and when the pool shuts down (the future is
     * then cancelled). Otherwise the future never completes.
     *
     * @param command the task
     * @param initialDelay the delay before the first run; zero or negative for "now"
     * @param period the time between the starts of two runs, {@code > 0}
     * @param unit the unit of {@code initialDelay} and {@code period}
     * @return the task's future
     * @throws NullPointerException if {@code command} or {@code unit} is null
     * @throws IllegalArgumentException if {@code period <= 0}
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return schedulePeriodic(command, initialDelay, period, unit, "period", true);
    }

    /**
     * Runs {@code command} first after {@code initialDelay}, then again {@code delay} after each
     * run returns. Runs never overlap. Stopping and timing as for
     * {@link #scheduleAtFixedRate}.
     *
     * @param command the task
     * @param initialDelay the delay before the first run; zero or negative for "now"
     * @param delay the time from the end of one run to the start of the next, {@code > 0}
     * @param unit the unit of {@code initialDelay} and {@code delay}
     * @return the task's future
     * @throws NullPointerException if {@code command} or {@code unit} is null
     * @throws IllegalArgumentException if {@code delay <= 0}
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return schedulePeriodic(command, initialDelay, delay, unit, "delay", false);
    }

    private ScheduledFuture<?> schedulePeriodic(Runnable command, long initialDelay, long period, TimeUnit unit, String periodName, boolean fixedRate) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(unit, "unit");
        if (period <= 0) {
            throw new IllegalArgumentException(periodName + " must be > 0, was " + period + " " + unit);
        }
        final long periodNanos = Math.max(1, delayNanos(period, unit));
        final long delayNanos = delayNanos(initialDelay, unit);
        final PeriodicTask task = new PeriodicTask(timers.shardFor(currentWorker()), command,
                System.nanoTime() + delayNanos, fixedRate ? periodNanos : -periodNanos);
        return scheduleTask(task, delayNanos, command);
    }

    /** The delay in nanoseconds, in {@code 0..MAX_DELAY_NANOS}: negative means now. */
    private static long delayNanos(long delay, TimeUnit unit) {
        return Math.max(0, Math.min(unit.toNanos(delay), MAX_DELAY_NANOS));
    }

    private <V> ScheduledTask<V> scheduleTask(ScheduledTask<V> task, long delayNanos, Object original) {
        if (runState != RUNNING) {
            throw rejectedTimer(original);
        }
        if (delayNanos > 0) {
            final long tick = timers.schedule(task);
            if (tick == TimerShard.CLOSED) {
                throw rejectedTimer(original);
            }
            if (tick != TimerShard.DUE) {
                return task;
            }
        }
        submit(task, task);
        return task;
    }

    /**
     * Arms the pool timer of a {@link SerialWorker}'s delayed task: when due, the timer moves
     * the task into its worker's mailbox.
     *
     * @param deadline the due time, a {@link System#nanoTime()} value
     * @return the timer, or null if the pool is shut down: the caller rejects the task without
     *     an exception being allocated
     */
    ScheduledTask<Void> scheduleSerialTimer(SerialTask task, long deadline) {
        if (runState != RUNNING) {
            return null;
        }
        final SerialTimer timer = new SerialTimer(timers.shardFor(currentWorker()), task, deadline);
        final long tick = timers.schedule(timer);
        if (tick == TimerShard.CLOSED) {
            return null;
        }
        if (tick == TimerShard.DUE) {
            executeInternal(timer);
        }
        return timer;
    }

    private RejectedExecutionException rejectedTimer(Object task) {
        return new RejectedExecutionException(name + " is shut down; rejected timer for " + task);
    }

    /**
     * Submits many tasks at once, all or none.
     *
     * <p>From outside the pool this is one splice into the inject queue and at most one wake-up,
     * whatever the batch size. From one of this pool's workers the tasks fill its local queue
     * and whatever does not fit goes to the inject queue in one splice.
     *
     * @param tasks the tasks, run in no particular order
     * @throws NullPointerException if {@code tasks} or one of its elements is null; nothing is
     *     submitted
     * @throws RejectedExecutionException if the pool is shut down; nothing is submitted
     */
    public void executeAll(Collection<? extends Runnable> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        final Task[] batch = new Task[tasks.size()];
        int i = 0;
        for (Runnable runnable : tasks) {
            if (runnable == null) {
                throw new NullPointerException("tasks[" + i + "] is null");
            }
            if (i == batch.length) {
                throw new IllegalArgumentException("tasks changed size while being submitted");
            }
            batch[i++] = RunnableTask.wrap(runnable);
        }
        if (i != batch.length) {
            throw new IllegalArgumentException("tasks changed size while being submitted");
        }
        if (runState != RUNNING) {
            throw new RejectedExecutionException(name + " is shut down; rejected a batch of " + batch.length + " tasks");
        }
        if (batch.length == 0) {
            return;
        }
        final Worker worker = currentWorker();
        if (worker != null) {
            worker.scheduleLocalBatch(batch);
            return;
        }
        // One splice, counted by the inject queue under the lock it takes anyway.
        if (!inject.pushBatch(Arrays.asList(batch))) {
            throw new RejectedExecutionException(name + " is shut down; rejected a batch of " + batch.length + " tasks");
        }
        notifyParked();
    }

    /** This pool's worker running on the current thread, or null. */
    Worker currentWorker() {
        final Worker worker = CURRENT.get();
        return worker != null && worker.pool == this ? worker : null;
    }

    private RejectedExecutionException rejected(Runnable command) {
        return new RejectedExecutionException(name + " is shut down; rejected task " + command);
    }

    // ---------------------------------------------------------------- waking workers

    /**
     * Wakes a parked worker if work was made visible while nobody searches. Called after every
     * submission that another worker could run. Lock-free; never parks.
     */
    void notifyParked() {
        int state = idle.snapshotForNotify();
        for (;;) {
            final int reserved = idle.tryReserveWake(state);
            if (reserved == -2) {
                return;
            }
            if (reserved >= 0) {
                state = reserved;
                continue;
            }
            final Worker sleeper = claimParkedWorker();
            if (sleeper != null) {
                LockSupport.unpark(sleeper.thread);
                return;
            }
            // Every parked worker was claimed by a concurrent waker between our reservation and
            // our scan; those wakers made searchers. Give the reservation back and look again.
            idle.cancelWake();
            Thread.onSpinWait();
            state = idle.snapshotForNotify();
        }
    }

    /** Moves one parked worker, the most recently parked first, to NOTIFIED. */
    private Worker claimParkedWorker() {
        final Worker[] workers = this.workers;
        final int n = workers.length;
        final int start = parkedHint;
        for (int i = 0; i < n; i++) {
            int index = start - i;
            if (index < 0) {
                index += n;
            }
            final Worker worker = workers[index];
            if (worker.tryNotify()) {
                return worker;
            }
        }
        return null;
    }

    void parkedHint(int index) {
        parkedHint = index;
    }

    /** Makes {@code worker} the LIFO watcher if there is none; true if it now is. */
    boolean tryBecomeLifoWatcher(Worker worker) {
        return lifoWatcher.get() == -1 && lifoWatcher.compareAndSet(-1, worker.index);
    }

    /**
     * Gives up the LIFO watcher role. While some worker still runs, the role passes on: another
     * parked worker gets a spurious {@code unpark} (its state is left alone), and on waking it
     * claims the role if a worker is still running.
     */
    void releaseLifoWatcher(Worker worker) {
        if (!lifoWatcher.compareAndSet(worker.index, -1) || idle.unparkedNow() == 0) {
            return;
        }
        for (Worker other : workers) {
            if (other != worker && other.isParked()) {
                LockSupport.unpark(other.thread);
                return;
            }
        }
    }

    /** Wakes every parked worker, outside the one-at-a-time protocol: the pool is shutting down. */
    private void notifyAllParked() {
        for (Worker worker : workers) {
            if (worker.tryNotify()) {
                idle.countWokenForShutdown();
                LockSupport.unpark(worker.thread);
            }
        }
    }

    /** Whether any queue holds a task another worker could take (the last searcher's re-scan). */
    boolean anyWorkVisible() {
        // The thief's side of LocalQueue.emptiedBeforePublishing: an owner that found its queue
        // emptied only after its fence notifies, so this re-scan must see every push that the
        // owner judged non-empty. The fence orders the loads below after this worker's earlier
        // steal CAS and Idle decrement in the total order the owner's fence belongs to; the
        // loads themselves are acquire loads.
        VarHandle.fullFence();
        if (!inject.isEmpty()) {
            return true;
        }
        for (Worker worker : workers) {
            if (!worker.local.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- errors and threads

    void taskFailed(Task task, Throwable error) {
        taskErrorHandler.handle(RunnableTask.unwrap(task), error);
    }

    private Thread newWorkerThread(Worker worker) {
        return threadFactory.newThread(new WorkerRunner(worker));
    }

    /** The body of every worker thread, first or replacement. */
    private final class WorkerRunner implements Runnable {
        private final Worker worker;

        WorkerRunner(Worker worker) {
            this.worker = worker;
        }

        @Override
        public void run() {
            CURRENT.set(worker);
            boolean exited = false;
            try {
                worker.runLoop();
                exited = true;
            } finally {
                CURRENT.remove();
                if (exited) {
                    threadExited();
                } else {
                    replaceWorkerThread(worker);
                }
            }
        }

        @Override
        public String toString() {
            return name + "-worker-" + worker.index;
        }
    }

    /**
     * A worker thread died with an exception (which its uncaught-exception handler reports):
     * start another thread for the same worker, which keeps its queues and counters.
     */
    private void replaceWorkerThread(Worker worker) {
        try {
            final Thread replacement = newWorkerThread(worker);
            if (replacement != null) {
                worker.thread = replacement;
                replacement.start();
                return;
            }
        } catch (Throwable error) {
            // No replacement (out of threads or memory): report it beside the error that killed
            // the worker, and count the worker out; the others steal what it held, and the last
            // one to exit runs whatever is still left.
            final Thread current = Thread.currentThread();
            current.getUncaughtExceptionHandler().uncaughtException(current, error);
        }
        threadExited();
    }

    /**
     * Counts a worker out. The last one drains whatever internal traffic (overflow splices,
     * tasks accepted while {@link #shutdownNow()} was draining) is left anywhere and runs it,
     * until none is left (a leftover {@link SerialWorker} timer queues its worker once more),
     * waits for the timer driver's last instructions, then marks the pool terminated.
     */
    private void threadExited() {
        if (liveWorkers.decrementAndGet() != 0) {
            return;
        }
        // Normally the pool is shut down and its timers drained by now. If its last worker died
        // and could not be replaced, the pool ends here: it stops accepting work, and timers
        // still waiting are cancelled, since no worker is left to run them when they fall due.
        advanceRunState(SHUTDOWN);
        inject.close();
        for (ScheduledTask<?> orphan : timers.shutdownNow()) {
            if (orphan instanceof SerialTimer timer) {
                timer.serialTask().cancel(false);
            } else {
                orphan.cancel(false);
            }
        }
        try {
            // Nothing accepted can keep this going: new submissions are rejected and the timers
            // are closed, so each round's leftovers can only queue what they had accepted.
            for (List<Task> leftovers = takeEveryQueuedTask(); !leftovers.isEmpty(); leftovers = takeEveryQueuedTask()) {
                for (Task leftover : leftovers) {
                    try {
                        leftover.run();
                    } catch (Throwable error) {
                        try {
                            taskFailed(leftover, error);
                        } catch (Throwable handlerError) {
                            // No worker is left to die and be replaced: report it and run the rest.
                            final Thread current = Thread.currentThread();
                            current.getUncaughtExceptionHandler().uncaughtException(current, handlerError);
                        }
                    }
                }
            }
        } finally {
            timers.awaitDriverExit();
            RUN_STATE.setVolatile(this, TERMINATED);
            terminated.countDown();
            if (stallMonitor != null) {
                stallMonitor.poolTerminated();
            }
        }
    }

    /**
     * Takes every task that has not started out of the inject queue, every local queue and every
     * LIFO slot, each exactly once (every take is a claim another taker cannot repeat).
     */
    private List<Task> takeEveryQueuedTask() {
        final List<Task> tasks = new ArrayList<>();
        Task task;
        while ((task = inject.pop()) != null) {
            tasks.add(task);
        }
        for (Worker worker : workers) {
            worker.local.drainTo(tasks);
            final Task lifo = worker.takeLifoForeign();
            if (lifo != null) {
                tasks.add(lifo);
            }
        }
        return tasks;
    }

    // ---------------------------------------------------------------- lifecycle

    boolean isStopping() {
        return runState >= STOP;
    }

    /**
     * Whether a worker with nothing left to do may end: the pool is shut down and the timers
     * have nothing more to hand over. Both reads are volatile; see {@link #timersDrained()}.
     */
    boolean mayExit() {
        return runState >= SHUTDOWN && timers.isDrained();
    }

    /**
     * Called by the timer driver once it has handed over its last task after a shutdown: every
     * worker parked to wait for timers is woken to exit. The driver's volatile write of
     * "drained" comes before this; a parking worker's volatile write of its park state comes
     * before its read of "drained": one of the two sees the other.
     */
    void timersDrained() {
        notifyAllParked();
    }

    private boolean advanceRunState(int target) {
        for (;;) {
            final int state = runState;
            if (state >= target) {
                return false;
            }
            if (RUN_STATE.compareAndSet(this, state, target)) {
                return true;
            }
        }
    }

    /**
     * Stops accepting new tasks; every task already accepted still runs, including one-shot
     * delayed tasks, which still run when due (the pool terminates after the last of them).
     * Periodic tasks are cancelled: their futures report {@link ScheduledFuture#isCancelled()}.
     * These are {@code ScheduledThreadPoolExecutor}'s default shutdown policies. Does not wait:
     * use {@link #awaitTermination} or {@link #close()}. Idempotent; thread-safe.
     */
    @Override
    public void shutdown() {
        advanceRunState(SHUTDOWN);
        inject.close();
        timers.shutdown();
        notifyAllParked();
    }

    /**
     * Stops accepting new tasks, takes back every accepted task that has not started, and
     * interrupts the workers so that running tasks can stop early.
     *
     * <p>Delayed and periodic tasks that have not started are returned too, whether still
     * waiting for their deadline or already due: as their {@link ScheduledFuture}s, neither
     * done nor cancelled, as {@code ScheduledThreadPoolExecutor} returns them. Each is a
     * {@link Runnable}: running a returned one-shot task runs it and completes its future;
     * running a returned periodic task cancels it, since it cannot be scheduled again.
     *
     * <p>{@link SerialWorker}s are internal traffic, not returned: a serial worker found
     * waiting in a queue is disposed (its pending tasks report disposed and never run), and a
     * serial worker's delayed task still waiting for its timer is cancelled.
     *
     * @return the tasks that never started, exactly as they were passed to {@code execute} or
     *     {@code executeAll}, and the futures of delayed tasks; empty if a previous call already
     *     took them
     */
    @Override
    public List<Runnable> shutdownNow() {
        advanceRunState(STOP);
        inject.close();
        final List<Task> pending = new ArrayList<>(timers.shutdownNow());
        pending.addAll(takeEveryQueuedTask());
        for (Worker worker : workers) {
            final Thread thread = worker.thread;
            if (thread != null && thread != Thread.currentThread()) {
                thread.interrupt();
            }
        }
        notifyAllParked();
        final List<Runnable> runnables = new ArrayList<>(pending.size());
        for (Task t : pending) {
            if (t instanceof SerialWorker serial) {
                serial.dispose();
            } else if (t instanceof SerialTimer timer) {
                timer.serialTask().cancel(false);
            } else {
                runnables.add(RunnableTask.unwrap(t));
            }
        }
        return runnables;
    }

    /**
     * Whether {@link #shutdown()} or {@link #shutdownNow()} has been called.
     *
     * @return true once the pool rejects new tasks
     */
    @Override
    public boolean isShutdown() {
        return runState >= SHUTDOWN;
    }

    /**
     * Whether the pool has shut down and every worker thread has finished.
     *
     * @return true once no task will run any more
     */
    @Override
    public boolean isTerminated() {
        return runState == TERMINATED;
    }

    /**
     * Waits until the pool has terminated after a shutdown, or the timeout elapses.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return true if the pool terminated, false if the timeout elapsed first
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws NullPointerException if {@code unit} is null
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return terminated.await(timeout, unit);
    }

    /**
     * Shuts the pool down and waits for every accepted task to finish. If the waiting thread is
     * interrupted, the pool is stopped with {@link #shutdownNow()} and the wait goes on; the
     * interrupt status is restored before returning. Called from one of the pool's own workers,
     * it only shuts down: a worker cannot wait for itself.
     */
    @Override
    public void close() {
        shutdown();
        if (currentWorker() != null) {
            return;
        }
        boolean interrupted = false;
        while (!isTerminated()) {
            try {
                terminated.await();
            } catch (InterruptedException e) {
                if (!interrupted) {
                    shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- introspection

    /**
     * The number of workers, fixed at construction.
     *
     * @return the worker count
     */
    public int workerCount() {
        return workers.length;
    }

    /**
     * Whether {@code thread} is currently one of this pool's worker threads.
     *
     * @param thread any thread, or null
     * @return true if it runs one of this pool's workers
     */
    public boolean isWorkerThread(Thread thread) {
        if (thread == null) {
            return false;
        }
        for (Worker worker : workers) {
            if (worker.thread == thread) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pool whose worker loop runs on the calling thread, whichever pool that is and however
     * its threads were made (a user's {@code ThreadFactory} included): set by the worker thread
     * before its loop starts and cleared when the loop ends. Lets code that cannot know the pool
     * tell a Spindle worker thread from any other, as the Reactor adapter's BlockHound
     * integration does for threads that do not carry a non-blocking marker. One
     * {@code ThreadLocal} read; any thread.
     *
     * @return the pool of the worker running on this thread, or null if it runs none
     */
    public static WorkStealingPool currentPool() {
        final Worker worker = CURRENT.get();
        return worker != null ? worker.pool : null;
    }

    /**
     * The pool's metrics. The returned object is a live view: each call reads current values.
     *
     * @return the metrics view, the same object on every call
     */
    public PoolMetrics metrics() {
        return metrics;
    }

    /**
     * The pool's name, the prefix of its threads' names.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        final String state = switch (runState) {
            case RUNNING -> "running";
            case SHUTDOWN -> "shutting down";
            case STOP -> "stopping";
            default -> "terminated";
        };
        return "WorkStealingPool[" + name + ", " + state + ", workers=" + workers.length + ", injected=" + inject.len() + ", " + idle + "]";
    }

    private static ThreadFactory defaultThreadFactory(boolean daemon) {
        return runnable -> {
            final Thread thread = WorkerThreads.newThread(runnable, runnable.toString());
            thread.setDaemon(daemon);
            return thread;
        };
    }

    private final class Metrics implements PoolMetrics {
        @Override
        public int workers() {
            return workers.length;
        }

        @Override
        public int injectQueueDepth() {
            return inject.len();
        }

        @Override
        public long remoteScheduleCount() {
            return inject.pushedCount();
        }

        @Override
        public long pendingTimers() {
            return timers.pending();
        }

        @Override
        public long injectSpliceCount() {
            long total = inject.pushedBatchCount() + timers.spliceCount();
            for (Worker worker : workers) {
                total += worker.metrics.injectSpliceCount();
            }
            return total;
        }

        @Override
        public long injectSplicedTaskCount() {
            long total = inject.pushedBatchTaskCount() + timers.splicedTaskCount();
            for (Worker worker : workers) {
                total += worker.metrics.injectSplicedTaskCount();
            }
            return total;
        }

        @Override
        public long totalTasksExecuted() {
            long total = 0;
            for (Worker worker : workers) {
                total += worker.metrics.pollCount();
            }
            return total;
        }

        private Worker worker(int index) {
            if (index < 0 || index >= workers.length) {
                throw new IndexOutOfBoundsException("worker must be in 0.." + (workers.length - 1) + ", was " + index);
            }
            return workers[index];
        }

        @Override
        public int localQueueDepth(int worker) {
            return worker(worker).local.len();
        }

        @Override
        public long stealCount(int worker) {
            return worker(worker).metrics.stealCount();
        }

        @Override
        public long stealOperations(int worker) {
            return worker(worker).metrics.stealOperations();
        }

        @Override
        public long overflowCount(int worker) {
            return worker(worker).metrics.overflowCount();
        }

        @Override
        public long injectSpliceCount(int worker) {
            return worker(worker).metrics.injectSpliceCount();
        }

        @Override
        public long injectSplicedTaskCount(int worker) {
            return worker(worker).metrics.injectSplicedTaskCount();
        }

        @Override
        public long pollCount(int worker) {
            return worker(worker).metrics.pollCount();
        }

        @Override
        public long parkCount(int worker) {
            return worker(worker).metrics.parkCount();
        }

        @Override
        public long noopCount(int worker) {
            return worker(worker).metrics.noopCount();
        }

        @Override
        public long localScheduleCount(int worker) {
            return worker(worker).metrics.localScheduleCount();
        }

        @Override
        public Duration busyDuration(int worker) {
            return Duration.ofNanos(worker(worker).metrics.busyNanos());
        }

        @Override
        public Duration meanTaskTime(int worker) {
            return Duration.ofNanos(Math.round(worker(worker).metrics.meanTaskNanos()));
        }

        @Override
        public long budgetForcedYieldCount(int worker) {
            return worker(worker).metrics.budgetForcedYieldCount();
        }

        @Override
        public long stallCount(int worker) {
            final Worker w = worker(worker);
            return stallDetector == null ? 0 : stallDetector.stallCount(w.index);
        }

        @Override
        public boolean taskDurationHistogramEnabled() {
            return taskDurationHistogram;
        }

        @Override
        public int taskDurationHistogramBuckets() {
            return TaskDurationHistogram.BUCKETS;
        }

        @Override
        public Duration taskDurationBucketLowerBound(int bucket) {
            return Duration.ofNanos(TaskDurationHistogram.lowerBoundNanos(checkBucket(bucket)));
        }

        @Override
        public Duration taskDurationBucketUpperBound(int bucket) {
            return Duration.ofNanos(TaskDurationHistogram.upperBoundNanos(checkBucket(bucket)));
        }

        @Override
        public long taskDurationBucketCount(int worker, int bucket) {
            final TaskDurationHistogram histogram = worker(worker).histogram;
            checkBucket(bucket);
            return histogram == null ? 0 : histogram.count(bucket);
        }

        private int checkBucket(int bucket) {
            if (bucket < 0 || bucket >= TaskDurationHistogram.BUCKETS) {
                throw new IndexOutOfBoundsException("bucket must be in 0.." + (TaskDurationHistogram.BUCKETS - 1) + ", was " + bucket);
            }
            return bucket;
        }

        @Override
        public String toString() {
            return "PoolMetrics[" + name + ", workers=" + workers.length + ", injectQueueDepth=" + injectQueueDepth()
                    + ", tasks=" + totalTasksExecuted() + "]";
        }
    }

    /**
     * Settings for a {@link WorkStealingPool}. Not thread-safe; every setter validates its
     * argument at once and throws {@link IllegalArgumentException} naming it and the accepted
     * range.
     */
    public static final class Builder {
        private int workers = Math.min(MAX_WORKERS, Runtime.getRuntime().availableProcessors());
        private String name;
        private ThreadFactory threadFactory;
        private boolean daemon = true;
        private int localQueueCapacity = DEFAULT_LOCAL_QUEUE_CAPACITY;
        private int globalQueueInterval;
        private boolean lifoSlot = true;
        private TaskErrorHandler taskErrorHandler = TaskErrorHandler.UNCAUGHT_EXCEPTION_HANDLER;
        private Duration stallThreshold = DEFAULT_STALL_THRESHOLD;
        private StallListener stallListener = StallListener.LOG_WARNING;
        private boolean taskDurationHistogram;

        private Builder() {}

        /**
         * The number of worker threads. Default: {@link Runtime#availableProcessors()}.
         *
         * @param workers 1..{@value WorkStealingPool#MAX_WORKERS}
         * @return this builder
         * @throws IllegalArgumentException if {@code workers} is out of range
         */
        public Builder workers(int workers) {
            if (workers < 1 || workers > MAX_WORKERS) {
                throw new IllegalArgumentException("workers must be in 1.." + MAX_WORKERS + ", was " + workers);
            }
            this.workers = workers;
            return this;
        }

        /**
         * The pool's name; threads from the default factory are named
         * {@code <name>-worker-<i>}. Default: {@code spindle-<n>}, numbered per pool.
         *
         * @param name a non-blank name
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was \"" + name + "\"");
            }
            this.name = name;
            return this;
        }

        /**
         * Creates the worker threads instead of the default factory, which is then not used at
         * all: names, daemon status and non-blocking markers are the factory's to choose. (The
         * default factory's threads implement Reactor's {@code NonBlocking} and RxJava's
         * {@code NonBlockingThread} markers when those libraries are on the classpath, so that
         * blocking calls fail fast on them; Reactor's own thread factories do the same.) The
         * runnable it receives reports {@code <name>-worker-<i>} from {@code toString()}, as a
         * naming hint.
         *
         * @param threadFactory the factory; it must return a new, unstarted thread
         * @return this builder
         * @throws NullPointerException if {@code threadFactory} is null
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * Whether the default factory's threads are daemons, so that they do not keep the JVM
         * alive. Default: true. Ignored when a {@link #threadFactory} is set.
         *
         * @param daemon true for daemon threads
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * The capacity of each worker's local queue. Default: 256, Tokio's.
         *
         * @param capacity a power of two in {@value WorkStealingPool#MIN_LOCAL_QUEUE_CAPACITY}..65536
         * @return this builder
         * @throws IllegalArgumentException if {@code capacity} is not a power of two in range
         */
        public Builder localQueueCapacity(int capacity) {
            if (capacity < MIN_LOCAL_QUEUE_CAPACITY || capacity > MAX_LOCAL_QUEUE_CAPACITY || Integer.bitCount(capacity) != 1) {
                throw new IllegalArgumentException("localQueueCapacity must be a power of two in "
                        + MIN_LOCAL_QUEUE_CAPACITY + ".." + MAX_LOCAL_QUEUE_CAPACITY + ", was " + capacity);
            }
            this.localQueueCapacity = capacity;
            return this;
        }

        /**
         * Fixes how many ticks pass between a worker's checks of the inject queue ahead of its
         * own. 1 means the inject queue always comes first. Default: self-tuned, aiming at
         * about 200 µs of task time between checks, within 2..127.
         *
         * @param interval {@code >= 1}
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is less than 1
         */
        public Builder globalQueueInterval(int interval) {
            if (interval < 1) {
                throw new IllegalArgumentException("globalQueueInterval must be >= 1, was " + interval);
            }
            this.globalQueueInterval = interval;
            return this;
        }

        /**
         * Whether a task submitted from a worker goes to that worker's LIFO slot, to run next.
         * Default: true. Turn it off for workloads of long CPU-bound tasks that spawn others,
         * where spreading them matters more than locality.
         *
         * @param enabled false to send every local submission to the back of the local queue
         * @return this builder
         */
        public Builder lifoSlot(boolean enabled) {
            this.lifoSlot = enabled;
            return this;
        }

        /**
         * Where errors thrown by tasks go. Default:
         * {@link TaskErrorHandler#UNCAUGHT_EXCEPTION_HANDLER}.
         *
         * @param handler the handler, called on the worker thread
         * @return this builder
         * @throws NullPointerException if {@code handler} is null
         */
        public Builder taskErrorHandler(TaskErrorHandler handler) {
            this.taskErrorHandler = Objects.requireNonNull(handler, "taskErrorHandler");
            return this;
        }

        /**
         * How long a worker may run one task before it is reported as stalled (see
         * {@link StallListener}). Detection runs on one daemon thread per pool,
         * {@code <name>-monitor}, which looks at the workers four times per threshold while any
         * worker is awake and sleeps without a timeout while all are parked; the workers pay
         * one opaque store per task for it. A task running at least 1.25 × the threshold is
         * always reported, one running less than the threshold never. Default: 1 s.
         *
         * @param threshold {@link Duration#ZERO} to turn detection off (no monitor thread), or
         *     1 ms ({@link WorkStealingPool#MIN_STALL_THRESHOLD}) to 1 h
         *     ({@link WorkStealingPool#MAX_STALL_THRESHOLD})
         * @return this builder
         * @throws NullPointerException if {@code threshold} is null
         * @throws IllegalArgumentException if {@code threshold} is negative or out of range
         */
        public Builder stallThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "stallThreshold");
            if (!threshold.isZero() && (threshold.compareTo(MIN_STALL_THRESHOLD) < 0 || threshold.compareTo(MAX_STALL_THRESHOLD) > 0)) {
                throw new IllegalArgumentException("stallThreshold must be 0 (off) or in 1ms..1h ("
                        + MIN_STALL_THRESHOLD + ".." + MAX_STALL_THRESHOLD + "), was " + threshold);
            }
            this.stallThreshold = threshold;
            return this;
        }

        /**
         * Who is told about stalled workers. Default: {@link StallListener#LOG_WARNING}. Ignored
         * when the {@link #stallThreshold} is zero.
         *
         * @param listener the listener, called on the pool's monitor thread, once per stall
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder stallListener(StallListener listener) {
            this.stallListener = Objects.requireNonNull(listener, "stallListener");
            return this;
        }

        /**
         * Whether workers keep a histogram of task durations (see
         * {@link PoolMetrics#taskDurationBucketCount}). It costs two {@link System#nanoTime()}
         * calls per task, hence off by default.
         *
         * @param enabled true to time every task
         * @return this builder
         */
        public Builder taskDurationHistogram(boolean enabled) {
            this.taskDurationHistogram = enabled;
            return this;
        }

        /**
         * Creates and starts the pool.
         *
         * @return a running pool
         * @throws IllegalStateException if the thread factory returns null
         */
        public WorkStealingPool build() {
            return new WorkStealingPool(this);
        }
    }

    private static final VarHandle RUN_STATE;

    static {
        try {
            RUN_STATE = MethodHandles.lookup().findVarHandle(WorkStealingPool.class, "runState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
