package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One task of a {@link SerialWorker}, and the handle that cancels it: the node of the worker's
 * mailbox, so that queueing a task costs this one object.
 *
 * <p>{@link SerialWorker#schedule(Runnable)} makes a plain one. The Reactor and RxJava adapters
 * subclass it instead, adding their library's {@code Disposable} (and RxJava's
 * {@code SchedulerRunnableIntrospection}, from {@link #task()}) to the class, so that the handle
 * they return is still the one object: {@link #dispose()} and {@link #isDisposed()} already have
 * the signatures both libraries' {@code Disposable} interfaces declare. Subclasses hand the
 * object to {@link SerialWorker#offer(SerialTask)}.
 *
 * <h2>States</h2>
 * <pre>
 *  NEW ──offer──→ QUEUED ──────────────→ RUNNING ──┬── returns / throws ──────────→ FINISHED
 *   │       └──→ DELAYED ──expiry──→ QUEUED        ├── cancel, no interrupt ──────→ DISPOSED
 *   │                │                              └── cancel with interrupt ─────→ INTERRUPTING ─→ INTERRUPTED
 *   └── cancel ──────┴── cancel (NEW, DELAYED or QUEUED) ─→ CANCELLED
 * </pre>
 * DELAYED means waiting for the pool timer, QUEUED in the mailbox (or on the way into it). The
 * start of a run is a CAS QUEUED → RUNNING by the worker's drain and a cancel of a task that has
 * not started is a CAS out of NEW, DELAYED or QUEUED to CANCELLED, so a cancel racing the run
 * either stops the task ({@link #cancel} returns true, the task never runs) or finds it started
 * ({@link #cancel} returns false): never both, never neither. A task runs at most once.
 *
 * <p>A cancel of a running task lets the run go on and only marks the handle disposed, unless it
 * asks to interrupt and comes from a thread other than the one running the task: then it
 * interrupts that thread (RUNNING → INTERRUPTING, interrupt, → INTERRUPTED). The drain waits for
 * a delivery in progress to finish before it clears the interrupt and moves on, so an interrupt
 * always lands on the task it was meant for and never on the worker's next task. A cancel from
 * the running thread itself never interrupts.
 *
 * <h2>Fields and who touches them</h2>
 * <pre>
 *  state   ── the first transition (NEW → QUEUED or DELAYED) is a plain store by the offering
 *             thread, before the task is published (by the mailbox's swap or the delayed list's
 *             lock); every later transition is a CAS (volatile), except INTERRUPTED, a volatile
 *             store by the canceller that won RUNNING → INTERRUPTING. Read with volatile loads.
 *  worker  ── written once, by the offering thread before it publishes the task; read by
 *             others after a volatile read of a state other than NEW.
 *  next    ── the mailbox link: see {@code SerialMailbox}.
 *  timer   ── the pool timer entry of a DELAYED task. Volatile: the scheduling thread stores it
 *             after arming the timer and then re-reads state; a canceller moves state to
 *             CANCELLED and then reads timer. One of the two sees the other, so a cancel racing
 *             the arming still frees the timer (a second cancel of it is a no-op). Cleared on
 *             expiry, so a finished handle does not keep the wheel entry alive.
 *  timerPrev, timerNext, deadline
 *          ── the links of the worker's list of DELAYED tasks, kept in deadline order (what
 *             expiry and {@link SerialWorker#dispose()} walk), and the key of that order:
 *             plain, written before the task is linked and read under the worker's
 *             delayed-list lock (see {@link SerialWorker}).
 * </pre>
 */
public class SerialTask {

    static final int NEW = 0;
    static final int DELAYED = 1;
    static final int QUEUED = 2;
    static final int RUNNING = 3;
    /** The first state in which the handle reports itself disposed. */
    static final int FINISHED = 4;
    static final int DISPOSED = 5;
    static final int INTERRUPTING = 6;
    static final int INTERRUPTED = 7;
    static final int CANCELLED = 8;

    private final Runnable task;
    /** See the class comment; CASes through {@link #STATE}. */
    private volatile int state;
    SerialWorker worker;
    /** The mailbox link; accessed only through {@link #NEXT}. */
    @SuppressWarnings("unused")
    private SerialTask next;
    private volatile ScheduledTask<?> timer;
    SerialTask timerPrev;
    SerialTask timerNext;
    /** The due time of a delayed task ({@link System#nanoTime()}); see {@code timerPrev}. */
    long deadline;

    /**
     * A task that runs {@code task} when its worker gets to it.
     *
     * @param task what to run
     * @throws NullPointerException if {@code task} is null
     */
    protected SerialTask(Runnable task) {
        this.task = Objects.requireNonNull(task, "task");
    }

    /**
     * The runnable this task runs, exactly as it was passed in (RxJava's
     * {@code SchedulerRunnableIntrospection.getWrappedRunnable()}).
     *
     * @return the runnable; never null
     */
    public final Runnable task() {
        return task;
    }

    /**
     * Cancels the task. A task that has not started never will: a queued one is skipped when
     * its turn comes, a delayed one also has its pool timer removed at once (O(1)). A task that
     * is running goes on running, but counts as disposed from now on; with
     * {@code mayInterruptIfRunning} and called from a thread other than the one running it,
     * that thread is interrupted. Never blocks; callable from any thread, the task's own
     * included; idempotent.
     *
     * @param mayInterruptIfRunning whether to interrupt the thread running the task, if it runs
     *     right now on another thread than the caller's
     * @return true if this call stopped the task from ever starting; false if it had already
     *     started (or finished, or been cancelled)
     */
    public final boolean cancel(boolean mayInterruptIfRunning) {
        for (;;) {
            final int s = state;
            if (s == NEW || s == QUEUED) {
                if (STATE.compareAndSet(this, s, CANCELLED)) {
                    return true;
                }
            } else if (s == DELAYED) {
                if (STATE.compareAndSet(this, DELAYED, CANCELLED)) {
                    final ScheduledTask<?> armed = timer;
                    if (armed != null) {
                        armed.cancel(false);
                    }
                    worker.unlinkDelayed(this);
                    return true;
                }
            } else if (s == RUNNING) {
                if (!mayInterruptIfRunning || worker.runsOnCurrentThread()) {
                    if (STATE.compareAndSet(this, RUNNING, DISPOSED)) {
                        return false;
                    }
                } else if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                    try {
                        worker.interruptDrainer();
                    } finally {
                        state = INTERRUPTED;
                    }
                    return false;
                }
            } else {
                return false;
            }
        }
    }

    /**
     * Cancels the task as {@link #cancel(boolean)} does, interrupting a run on another thread
     * only if the worker was created to ({@link SerialWorker#SerialWorker(WorkStealingPool,
     * TaskErrorHandler, boolean) interruptOnCancel}). The signature of the {@code dispose()} of
     * Reactor's and RxJava's {@code Disposable}. Never blocks; idempotent.
     */
    public final void dispose() {
        final SerialWorker owner = state != NEW ? worker : null;
        cancel(owner != null && owner.interruptOnCancel);
    }

    /**
     * Whether the task is done with: cancelled, finished (normally or not), disposed while it
     * ran, or belonging to a worker that was disposed (whose pending tasks never run). Any
     * thread.
     *
     * @return true once the task will not start any more, or has stopped mattering
     */
    public final boolean isDisposed() {
        final int s = state;
        if (s >= FINISHED) {
            return true;
        }
        final SerialWorker owner = s == NEW ? null : worker;
        return owner != null && owner.isDisposed();
    }

    // ---------------------------------------------------------------- the worker's side

    /**
     * Claims a task offered to {@code owner}: NEW → {@code target}, a plain store. The object is
     * not shared yet (its publication is the mailbox's or the delayed list's), so no CAS is
     * spent on the one transition nobody can race; a cancel that happened before the offer is
     * still seen.
     *
     * @return false if the task was cancelled before it was offered (it is then never queued)
     * @throws IllegalStateException if the task was offered before
     */
    final boolean claim(SerialWorker owner, int target) {
        final int s = (int) STATE.get(this);
        if (s == NEW) {
            this.worker = owner;
            STATE.set(this, target);
            return true;
        }
        if (s == CANCELLED && worker == null) {
            return false;
        }
        throw new IllegalStateException("task was already offered to a worker: " + this);
    }

    /** Marks a task the worker rejected as cancelled, unless it was offered before. */
    final void reject() {
        STATE.compareAndSet(this, NEW, CANCELLED);
    }

    /** The drain's claim of the run: QUEUED → RUNNING; false if the task was cancelled. */
    final boolean startRun() {
        return STATE.compareAndSet(this, QUEUED, RUNNING);
    }

    /**
     * The end of a run: RUNNING → FINISHED. If a cancel with interrupt won the race for the
     * state instead, waits until it has delivered the interrupt, so that the caller's clearing
     * of the flag comes after it.
     */
    final void endRun() {
        if (!STATE.compareAndSet(this, RUNNING, FINISHED)) {
            while (state == INTERRUPTING) {
                Thread.onSpinWait();
            }
        }
    }

    /** A queued task the drain throws away because its worker was disposed. */
    final void discard() {
        STATE.compareAndSet(this, QUEUED, CANCELLED);
    }

    /** The timer fired: see {@link SerialWorker#expired}. */
    final void expire() {
        worker.expired(this);
    }

    /**
     * DELAYED → QUEUED, for a task its worker moves into the mailbox (its own expiry or an
     * earlier-due task's); false if it was cancelled meanwhile.
     */
    final boolean leaveDelayed() {
        if (!STATE.compareAndSet(this, DELAYED, QUEUED)) {
            return false;
        }
        timer = null;
        return true;
    }

    /**
     * Stores the armed timer, then re-reads the state (see the class comment): a task cancelled
     * meanwhile, whose canceller may have found no timer to cancel, has its timer cancelled
     * here.
     */
    final void armed(ScheduledTask<?> armed) {
        timer = armed;
        if (state == CANCELLED) {
            armed.cancel(false);
        }
    }

    /** Cancels a DELAYED task the worker's dispose() took off its list; no unlinking. */
    final void cancelDetached() {
        if (STATE.compareAndSet(this, DELAYED, CANCELLED)) {
            final ScheduledTask<?> armed = timer;
            if (armed != null) {
                armed.cancel(false);
            }
        }
    }

    final int state() {
        return state;
    }

    @Override
    public String toString() {
        final String status = switch (state) {
            case NEW -> "new";
            case DELAYED -> "delayed";
            case QUEUED -> "queued";
            case RUNNING -> "running";
            case FINISHED -> "finished";
            case CANCELLED -> "cancelled";
            default -> "disposed while running";
        };
        return getClass().getSimpleName() + "[" + status + ", task=" + task + "]";
    }

    private static final VarHandle STATE;
    /** The mailbox link, for {@link SerialMailbox}. */
    static final VarHandle NEXT;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(SerialTask.class, "state", int.class);
            NEXT = lookup.findVarHandle(SerialTask.class, "next", SerialTask.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
