package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A serial mailbox on a {@link WorkStealingPool}: its tasks run one at a time, in the order they
 * were scheduled, never overlapping, yet on whichever pool thread is free. The machinery behind
 * the Reactor and RxJava adapters' {@code Worker}s (DESIGN.md, "Reactor and RxJava Workers").
 *
 * <h2>Implementation overview</h2>
 * The worker is itself one {@link Task} of the pool. Scheduling a task links it into the
 * worker's {@code SerialMailbox} (a lock-free MPSC queue and a count); the producer whose count
 * increment found 0 submits the worker to the pool, like any task (from a pool thread that is
 * the thread's LIFO slot, so a hop from one worker to another runs next, on a warm core; from
 * outside, the inject queue). When the pool runs the worker, the drain takes tasks in order and
 * runs them, then gives the count back; the count tells it whether tasks arrived meanwhile
 * (keep going) or the mailbox is empty (stop: the next producer will submit it again). That is
 * the whole of the serial guarantee: at most one drain at a time, because only a 0 → 1 count
 * starts one and only the drain's own return to 0 ends it. Between two drains the worker sits in
 * pool queues like any task, so another thread may steal it: the worker migrates, and a slow
 * task holds up only its own worker's queue.
 *
 * <p><b>Budget.</b> A drain runs at most {@value #DRAIN_BUDGET} tasks (Tokio's cooperative
 * budget per poll) and then, if tasks are left, puts the worker at the back of the pool
 * thread's local queue, not in its LIFO slot (where it would run again at once), so that one hot
 * worker, or a worker whose tasks keep scheduling onto it, cannot starve the others on that
 * thread. Each such yield is counted in {@link PoolMetrics#budgetForcedYieldCount}. While the
 * pool shuts down the drain does not yield: it runs to the end of its mailbox, which is finite
 * since new tasks are rejected.
 *
 * <p><b>Metrics.</b> Each task the drain runs counts as one poll of the pool worker running it
 * (the pool counts the drain as one, which stands for its first task), so
 * {@link PoolMetrics#pollCount} and {@link PoolMetrics#totalTasksExecuted} count serial tasks,
 * and the stall detector, which watches a worker's poll count, reports one serial task that runs
 * too long, not a drain of many short ones.
 *
 * <p><b>Delays.</b> A delayed task waits in the pool's timer wheel (one {@code ScheduledTask}
 * entry beside the task), and when due it goes through the mailbox like any other task, so
 * delayed tasks never overlap with the worker's other tasks either; its order relative to them
 * is its time of arrival in the mailbox. Delayed tasks enter the mailbox in deadline order,
 * and tasks with equal deadlines in the order they were scheduled, so equal delays scheduled
 * from one thread run FIFO (see {@code expired}). A delay of zero or less is no delay.
 *
 * <p><b>Pool shutdown.</b> Once the pool is shut down, {@code schedule} and {@code offer} reject;
 * tasks already accepted still run, delayed ones when due (the pool's {@code shutdown()}
 * contract). {@code shutdownNow()} disposes the worker instead: whether the pool finds it in a
 * queue or its drain is running at the time, its pending tasks never run and its delayed tasks
 * are cancelled.
 *
 * <p><b>Dispose.</b> {@link #dispose()} sets a flag that every pending task's
 * {@link SerialTask#isDisposed()} reports at once; the drain checks it before each task and
 * throws the rest away, so a drain in progress stops after its current task. Delayed tasks have
 * their pool timers cancelled at once, so a disposed worker leaves nothing in the wheel. For
 * that the worker keeps its delayed tasks in a doubly linked list guarded by a short spin lock
 * ({@code SpinLocks}, never parks): the one lock in this class, taken only on the delayed path
 * (arming, expiry, cancel of a delayed task) and by {@code dispose()} when delayed tasks are
 * pending. The immediate path and the creation and disposal of a worker without timers take no
 * lock. The list is what makes disposal O(pending timers) and cancel O(1) without a
 * {@code CompositeDisposable}.
 *
 * <p><b>Errors.</b> A task that throws (an {@link Error} included) never kills the pool thread
 * and never stops the mailbox: the throwable goes to this worker's {@link TaskErrorHandler}
 * (Reactor's adapter routes it to {@code Schedulers.onHandleError}, RxJava's to
 * {@code RxJavaPlugins.onError}) and the next task runs. If the handler throws in turn, that goes
 * to the thread's uncaught-exception handler, and the mailbox still goes on.
 *
 * <p><b>Interrupts.</b> A worker created with {@code interruptOnCancel} interrupts a task's
 * thread when the task's handle, or the worker, is disposed from another thread while the task
 * runs (Reactor's behaviour); never when disposed from the running thread itself. Either way the
 * interrupt status is cleared before the worker's next task runs (unless the pool is being
 * stopped by {@code shutdownNow()}), so it never leaks into a task it was not meant for.
 *
 * <p><b>Periodic tasks are left to the adapters</b>, built on {@link #schedule(Runnable, long,
 * TimeUnit)}: a periodic task that re-arms itself (schedules its next run) when a run returns
 * never overlaps with itself or with the worker's other tasks, because each run is an ordinary
 * mailbox task. The two libraries want different things around that loop: RxJava's fixed rate
 * is measured with its {@code Scheduler.now()} and rebases after clock jumps beyond
 * {@code Scheduler.clockDriftTolerance()}, which RxJava's own default
 * {@code Worker.schedulePeriodically} already does on top of {@code schedule(delay)}, and on an
 * error it stops the task; Reactor keeps the schedule and reports. A core implementation would
 * have to take both policies and a pluggable clock, and would save only one small allocation per
 * run, at most 1,000 a second at the timer's 1 ms resolution.
 *
 * <h2>Fields and who touches them</h2>
 * <pre>
 *  head, tail, wip, taken
 *             ── the mailbox: see {@code SerialMailbox}.
 *  disposed   ── false → true once, by CAS in dispose(); volatile loads everywhere else. The
 *                drain reads it before each task. Also what closes the delayed list: see below.
 *  drainer    ── the thread of the drain in progress (or the last one): a plain store by the
 *                drain when it starts, before it claims any task with a CAS; read by a cancel
 *                after its volatile read of that task's RUNNING state, which that CAS published.
 *  running    ── the task the drain is about to run, for dispose() to cancel: a volatile store
 *                by the drain after it takes the task and before it reads disposed (and a
 *                release store of null before each acknowledge, the last moment it owns the
 *                worker); a volatile load by dispose() after its CAS of disposed. One of the two
 *                sees the other: either the drain sees disposed and throws the task away, or
 *                dispose() finds the task and cancels it: before its start, it never runs;
 *                during its run, it is marked disposed (and interrupted, with
 *                interruptOnCancel). A drain that read disposed before publishing the task could
 *                pass its check, let a whole dispose() go by, and start the task after dispose()
 *                returned, uninterrupted (SerialWorkerDisposeVsDrainTest and
 *                SerialWorkerQuietDisposeVsDrainTest in the stress module). The claim is a CAS,
 *                so a stale read only makes dispose()'s cancel of that task fail.
 *  delayed, delayedTail
 *             ── the ends of the list of DELAYED tasks, in deadline order (linked through
 *                {@code SerialTask.timerPrev/timerNext}, plain, under delayedLock). Expiry moves
 *                the list's prefix into the mailbox under the lock (see {@code expired}).
 *                Every store of the head
 *                is volatile, even under the lock, because dispose() reads it without the lock:
 *                a linker stores it, then reads disposed (both volatile, under the lock); dispose
 *                CASes disposed, then reads it. One of them sees the other: either dispose()
 *                finds the list non-empty and takes the lock (and then detaches the task, or the
 *                linker has seen disposed), or the linker sees disposed and takes its task off
 *                again, rejecting it. Once disposed, nobody but dispose() changes the list:
 *                unlinkers that see disposed under the lock leave the task where it is, and
 *                dispose() walks the chain it detached without the lock.
 *  delayedLock── 0 free, 1 held: acquire CAS, release store (SpinLocks).
 * </pre>
 *
 * <h2>Thread safety</h2>
 * Every public method may be called from any thread, tasks of this worker included, and none
 * blocks. Bad arguments throw {@link NullPointerException} naming the argument.
 */
public final class SerialWorker extends SerialMailbox {

    /**
     * Tasks one drain runs before the worker goes to the back of its pool thread's queue:
     * Tokio's cooperative budget per task poll (128).
     */
    public static final int DRAIN_BUDGET = 128;

    /**
     * The handle {@code schedule} returns when it does not accept a task (the worker is
     * disposed or the pool shut down): already disposed, its {@link SerialTask#task()} a no-op.
     * Returned instead of throwing, so that the adapters can fail in their library's own way
     * (Reactor's {@code Exceptions.failWithRejected()} singleton, RxJava's
     * {@code Disposable.disposed()}) and rejection allocates nothing.
     */
    public static final SerialTask REJECTED = rejectedTask();

    private final WorkStealingPool pool;
    private final TaskErrorHandler errorHandler;
    /** Whether disposing a running task from another thread interrupts it. */
    final boolean interruptOnCancel;

    /** See the class comment; set by CAS through {@link #DISPOSED}. */
    private volatile boolean disposed;
    private Thread drainer;
    @SuppressWarnings("unused") // accessed through RUNNING
    private SerialTask running;
    @SuppressWarnings("unused") // accessed through DELAYED
    private SerialTask delayed;
    /** The last task of the delayed list: plain, under delayedLock. */
    private SerialTask delayedTail;
    @SuppressWarnings("unused") // accessed through DELAYED_LOCK
    private int delayedLock;

    /**
     * A worker on {@code pool} whose running tasks are never interrupted by a cancel.
     *
     * @param pool the pool whose threads run the tasks
     * @param errorHandler receives what a task throws, on the thread that ran it
     * @throws NullPointerException if {@code pool} or {@code errorHandler} is null
     */
    public SerialWorker(WorkStealingPool pool, TaskErrorHandler errorHandler) {
        this(pool, errorHandler, false);
    }

    /**
     * A worker on {@code pool}. Creating one allocates this object only: no thread, no lock,
     * nothing registered with the pool; an unreferenced idle worker is simply garbage.
     *
     * @param pool the pool whose threads run the tasks
     * @param errorHandler receives what a task throws, on the thread that ran it
     * @param interruptOnCancel whether {@link SerialTask#dispose()} of a running task, and
     *     {@link #dispose()} of the worker while a task runs, interrupt the task's thread when
     *     called from another thread
     * @throws NullPointerException if {@code pool} or {@code errorHandler} is null
     */
    public SerialWorker(WorkStealingPool pool, TaskErrorHandler errorHandler, boolean interruptOnCancel) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
        this.interruptOnCancel = interruptOnCancel;
    }

    /** A task no worker accepted: cancelled, so it reports disposed and can never be offered. */
    private static SerialTask rejectedTask() {
        final SerialTask task = new SerialTask(() -> { });
        task.reject();
        return task;
    }

    // ---------------------------------------------------------------- scheduling

    /**
     * Runs {@code task} after every task scheduled on this worker before it, and never at the
     * same time as another of its tasks. Lock-free, never blocks; allocates the returned
     * handle.
     *
     * @param task the task
     * @return its handle, or {@link #REJECTED} if this worker is disposed or its pool shut down
     * @throws NullPointerException if {@code task} is null
     */
    public SerialTask schedule(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (rejects()) {
            return REJECTED;
        }
        final SerialTask queued = new SerialTask(task);
        return offer(queued) ? queued : REJECTED;
    }

    /**
     * Runs {@code task} through this worker's mailbox no earlier than {@code delay} from now:
     * when the delay is over the task joins the mailbox behind whatever is queued then, so it
     * never overlaps with the worker's other tasks. Timing as for
     * {@link WorkStealingPool#schedule(Runnable, long, TimeUnit)} (1 ms resolution, never
     * early). Never blocks; allocates the handle and one timer entry.
     *
     * @param task the task
     * @param delay the delay; zero or negative is the same as {@link #schedule(Runnable)}
     * @param unit the unit of {@code delay}
     * @return its handle, or {@link #REJECTED} if this worker is disposed or its pool shut down
     * @throws NullPointerException if {@code task} or {@code unit} is null
     */
    public SerialTask schedule(Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        if (rejects()) {
            return REJECTED;
        }
        final SerialTask waiting = new SerialTask(task);
        return offer(waiting, delay, unit) ? waiting : REJECTED;
    }

    /**
     * {@link #schedule(Runnable)} for a task the caller made, typically an adapter's subclass
     * of {@link SerialTask} that is also its library's {@code Disposable}. The task must be new
     * (never offered before) and not yet shared with other threads.
     *
     * @param task the task
     * @return true if it was accepted (a task cancelled before it was offered is accepted and
     *     never runs); false if this worker is disposed or its pool shut down, in which case the
     *     task is marked cancelled
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if {@code task} was offered before
     */
    public boolean offer(SerialTask task) {
        Objects.requireNonNull(task, "task");
        if (rejects()) {
            task.reject();
            return false;
        }
        if (task.claim(this, SerialTask.QUEUED)) {
            enqueueAccepted(task);
        }
        return true;
    }

    /**
     * {@link #schedule(Runnable, long, TimeUnit)} for a task the caller made; see
     * {@link #offer(SerialTask)}.
     *
     * @param task the task
     * @param delay the delay; zero or negative is the same as {@link #offer(SerialTask)}
     * @param unit the unit of {@code delay}
     * @return true if it was accepted; false if this worker is disposed or its pool shut down,
     *     in which case the task is marked cancelled
     * @throws NullPointerException if {@code task} or {@code unit} is null
     * @throws IllegalStateException if {@code task} was offered before
     */
    public boolean offer(SerialTask task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        final long delayNanos = unit.toNanos(delay);
        if (delayNanos <= 0) {
            return offer(task);
        }
        if (rejects()) {
            task.reject();
            return false;
        }
        return !task.claim(this, SerialTask.DELAYED) || armDelayed(task, delayNanos);
    }

    private boolean rejects() {
        return disposed || pool.isShutdown();
    }

    /** Queues a task this worker accepted, starting a drain if none runs. */
    private void enqueueAccepted(SerialTask task) {
        if (enqueue(task)) {
            pool.executeInternal(this);
        }
    }

    /** Lists a DELAYED task and arms its pool timer; false (task cancelled) if either refuses. */
    private boolean armDelayed(SerialTask task, long delayNanos) {
        task.deadline = System.nanoTime() + Math.min(delayNanos, WorkStealingPool.MAX_DELAY_NANOS);
        if (!linkDelayed(task)) {
            task.cancelDetached();
            return false;
        }
        final ScheduledTask<Void> timer = pool.scheduleSerialTimer(task, task.deadline);
        if (timer == null) {
            // The pool shut down after rejects() looked.
            task.cancel(false);
            return false;
        }
        task.armed(timer);
        return true;
    }

    // ---------------------------------------------------------------- the drain

    /**
     * The pool's entry point: runs a batch of this worker's tasks. Called by the pool thread the
     * worker was submitted to, never by anyone else: calling it directly would run the mailbox
     * on two threads at once. Never throws.
     */
    @Override
    public void run() {
        drainer = Thread.currentThread();
        final Worker host = pool.currentWorker();
        int known = pending();
        int taken = 0;
        int budget = DRAIN_BUDGET;
        int ran = 0;
        // Once an acknowledge() has brought the count to 0, or the worker has been handed back
        // to the pool, another drain may start at any moment: this one touches nothing after.
        for (;;) {
            if (taken == known) {
                RUNNING.setRelease(this, (SerialTask) null);
                known = acknowledge(taken);
                taken = 0;
                if (known == 0) {
                    return;
                }
            }
            if (budget == 0) {
                if (!pool.isShutdown()) {
                    RUNNING.setRelease(this, (SerialTask) null);
                    final int remaining = acknowledge(taken);
                    if (remaining != 0) {
                        // Still the owner (the count is not 0), so nobody else submits it.
                        pool.executeAtBack(this);
                    }
                    return;
                }
                budget = DRAIN_BUDGET;
            }
            final SerialTask task = poll();
            taken(++taken);
            // Published before disposed is read: see the field comment.
            RUNNING.setVolatile(this, task);
            if (disposed || stopping()) {
                task.discard();
                continue;
            }
            budget--;
            if (ran++ > 0 && host != null) {
                // The pool counted the drain as one poll: that was the first task's.
                host.metrics.poll();
            }
            runTask(task);
        }
    }

    /**
     * Whether {@code shutdownNow()} is stopping the pool: a drain that was running when it took
     * the queues away (and so was not found in one) disposes its worker and runs nothing more.
     */
    private boolean stopping() {
        if (!pool.isStopping()) {
            return false;
        }
        dispose();
        return true;
    }

    private void runTask(SerialTask task) {
        if (!task.startRun()) {
            return;
        }
        try {
            task.task().run();
        } catch (Throwable error) {
            reportError(task, error);
        }
        task.endRun();
        // A task may leave the thread interrupted (or a cancel interrupted it): that must not
        // leak into the next task, unless shutdownNow() is stopping the pool.
        if (Thread.interrupted() && pool.isStopping()) {
            Thread.currentThread().interrupt();
        }
    }

    private void reportError(SerialTask task, Throwable error) {
        try {
            errorHandler.handle(task.task(), error);
        } catch (Throwable handlerError) {
            final Thread current = Thread.currentThread();
            try {
                current.getUncaughtExceptionHandler().uncaughtException(current, handlerError);
            } catch (Throwable ignored) {
                // Nothing left to report to; the mailbox must go on regardless.
            }
        }
    }

    /** Whether the calling thread is the one running this worker's drain. */
    boolean runsOnCurrentThread() {
        return drainer == Thread.currentThread();
    }

    /** Interrupts the drain's thread: a cancel that won RUNNING → INTERRUPTING of its task. */
    void interruptDrainer() {
        final Thread thread = drainer;
        if (thread != null) {
            thread.interrupt();
        }
    }

    // ---------------------------------------------------------------- disposal

    /**
     * Disposes the worker: every {@code schedule}/{@code offer} from now on is rejected, every
     * pending task reports {@link SerialTask#isDisposed()} and never runs, pending delayed
     * tasks have their pool timers removed at once, and a drain in progress stops after its
     * current task (which, if the worker was created with {@code interruptOnCancel} and this is
     * called from another thread, is interrupted). Idempotent; never blocks; any thread,
     * including the worker's own tasks.
     */
    public void dispose() {
        if (!DISPOSED.compareAndSet(this, false, true)) {
            return;
        }
        if (DELAYED.getVolatile(this) != null) {
            cancelDelayed();
        }
        // Also without interruptOnCancel: the task the drain has taken but not started must
        // not start after this returns (see the field comment on running).
        final SerialTask current = (SerialTask) RUNNING.getVolatile(this);
        if (current != null) {
            current.cancel(interruptOnCancel);
        }
    }

    /**
     * Whether {@link #dispose()} has been called.
     *
     * @return true once the worker rejects new tasks
     */
    public boolean isDisposed() {
        return disposed;
    }

    /**
     * Tasks scheduled and not yet started, delayed tasks whose time has not come excluded: a
     * moment's estimate (Reactor's {@code Scannable.Attr.BUFFERED}). Any thread.
     *
     * @return the number of queued tasks, {@code >= 0}
     */
    public int queuedTasks() {
        return queued();
    }

    // ---------------------------------------------------------------- the delayed list

    /**
     * Links a DELAYED task into the list, in deadline order and behind every task with the same
     * deadline; false if the worker is disposed. The search starts at the tail, so it is O(1)
     * when tasks arrive in deadline order (equal delays, the common case: a stream's
     * {@code delayElements}, timeouts of one length) and O(k) for a task due before the k
     * latest.
     */
    private boolean linkDelayed(SerialTask task) {
        lockDelayed();
        try {
            final long deadline = task.deadline;
            SerialTask before = delayedTail;
            while (before != null && before.deadline - deadline > 0) {
                before = before.timerPrev;
            }
            final SerialTask after = before == null ? (SerialTask) DELAYED.get(this) : before.timerNext;
            task.timerPrev = before;
            task.timerNext = after;
            if (after == null) {
                delayedTail = task;
            } else {
                after.timerPrev = task;
            }
            if (before == null) {
                DELAYED.setVolatile(this, task);
            } else {
                before.timerNext = task;
            }
            if (disposed) {
                unlinkLocked(task);
                return false;
            }
            return true;
        } finally {
            unlockDelayed();
        }
    }

    /**
     * A delayed task's timer fired: moves it into the mailbox, and with it every task listed
     * before it, which is due too (the list is in deadline order). Timers due in the same tick
     * fire on whichever pool threads are free, in no particular order; moving the list's prefix
     * under its lock puts tasks into the mailbox in deadline order whatever order their timers
     * fire in, so tasks with equal delays scheduled from one thread run in the order they were
     * scheduled (Reactor's {@code Worker.schedule(task, delay, unit)} contract). The timers of
     * the tasks moved ahead of them are due and fire shortly, finding nothing to do.
     */
    void expired(SerialTask due) {
        boolean startDrain = false;
        lockDelayed();
        try {
            if (disposed) {
                // dispose() owns the list and cancels every task on it, this one included.
                return;
            }
            if (due.state() != SerialTask.DELAYED) {
                // Cancelled (its canceller unlinks it), or moved by an earlier expiry.
                return;
            }
            // A DELAYED task is on the list (linked before its timer was armed, unlinked only
            // after leaving DELAYED), so the walk ends at it.
            SerialTask task = (SerialTask) DELAYED.get(this);
            while (task != null) {
                final SerialTask next = task.timerNext;
                if (task.leaveDelayed()) {
                    unlinkLocked(task);
                    startDrain |= enqueue(task);
                }
                task = task == due ? null : next;
            }
        } finally {
            unlockDelayed();
        }
        if (startDrain) {
            pool.executeInternal(this);
        }
    }

    /**
     * Takes a cancelled delayed task off the list.
     *
     * @return false if the worker is disposed: its dispose() owns the list and the task stays
     *     where it is
     */
    boolean unlinkDelayed(SerialTask task) {
        lockDelayed();
        try {
            if (disposed) {
                return false;
            }
            unlinkLocked(task);
            return true;
        } finally {
            unlockDelayed();
        }
    }

    private void unlinkLocked(SerialTask task) {
        final SerialTask prev = task.timerPrev;
        final SerialTask next = task.timerNext;
        if (prev == null && DELAYED.get(this) != task) {
            return;
        }
        if (prev == null) {
            DELAYED.setVolatile(this, next);
        } else {
            prev.timerNext = next;
        }
        if (next == null) {
            delayedTail = prev;
        } else {
            next.timerPrev = prev;
        }
        task.timerPrev = null;
        task.timerNext = null;
    }

    /** dispose(): detaches the list under the lock, then cancels every task on it without. */
    private void cancelDelayed() {
        SerialTask task;
        lockDelayed();
        try {
            task = (SerialTask) DELAYED.get(this);
            DELAYED.setVolatile(this, (SerialTask) null);
            delayedTail = null;
        } finally {
            unlockDelayed();
        }
        while (task != null) {
            final SerialTask next = task.timerNext;
            task.timerPrev = null;
            task.timerNext = null;
            task.cancelDetached();
            task = next;
        }
    }

    private void lockDelayed() {
        if (!DELAYED_LOCK.compareAndSet(this, 0, 1)) {
            SpinLocks.lockContended(DELAYED_LOCK, this);
        }
    }

    private void unlockDelayed() {
        DELAYED_LOCK.setRelease(this, 0);
    }

    @Override
    public String toString() {
        return "SerialWorker[" + (disposed ? "disposed" : "queued=" + queued()) + ", pool=" + pool.name() + "]";
    }

    private static final VarHandle DISPOSED;
    private static final VarHandle RUNNING;
    private static final VarHandle DELAYED;
    private static final VarHandle DELAYED_LOCK;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            DISPOSED = lookup.findVarHandle(SerialWorker.class, "disposed", boolean.class);
            RUNNING = lookup.findVarHandle(SerialWorker.class, "running", SerialTask.class);
            DELAYED = lookup.findVarHandle(SerialWorker.class, "delayed", SerialTask.class);
            DELAYED_LOCK = lookup.findVarHandle(SerialWorker.class, "delayedLock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
