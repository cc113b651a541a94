package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A task with a deadline: the timer-wheel entry and the {@link java.util.concurrent.ScheduledFuture}
 * a {@link WorkStealingPool}'s {@code schedule*} methods return, in one object.
 *
 * <p>One object is the whole cost of a pending timer: it links itself into its shard's wheel
 * (through {@link Task#next} and {@link #prev}), so scheduling allocates nothing else, and
 * cancelling unlinks it at once, leaving nothing behind for the garbage collector to wait on.
 *
 * <h2>States</h2>
 * <pre>
 *  NEW ──┬── run ──────────→ RUNNING ──┬── returns / throws ─→ COMPLETING ─→ NORMAL | EXCEPTIONAL
 *        │                             ├── periodic run ends ─→ NEW (and back into the wheel)
 *        │                             ├── cancel(true) ──────→ INTERRUPTING ─→ INTERRUPTED
 *        │                             └── cancel(false), periodic only ─→ CANCELLED
 *        └── cancel ───────→ CANCELLED
 * </pre>
 * NEW means "waiting in the wheel" or "expired and queued in the pool". Unlike
 * {@code FutureTask}, which stays NEW while it runs, a running task is RUNNING, so the start of
 * a run is one CAS that a cancel either beats or loses: {@code cancel(false)} on a one-shot
 * task returns true only if the task never starts, which makes a cancel racing the expiry
 * either stop the task or fail, never both and never neither. {@code cancel(true)} on a running
 * task interrupts it and drops its result, as the {@code Future} contract asks; on a running
 * periodic task {@code cancel(false)} also succeeds, letting this run finish and stopping the
 * next ones.
 *
 * <h2>Fields and who touches them</h2>
 * <pre>
 *  state    ── volatile; every transition above is a CAS, except the last step of a completion
 *              or an interrupting cancel, a volatile store by the thread that won the CAS before
 *              it (after writing the outcome, before opening the latch).
 *  outcome  ── plain; written once by the thread that won the CAS to COMPLETING, before the
 *              release store of the final state; read after an acquire (volatile) read of it.
 *  runner   ── volatile; CAS null → current thread first, then the CAS NEW → RUNNING, so that
 *              a cancel(true) that wins RUNNING → INTERRUPTING always finds the thread to
 *              interrupt; two threads racing to run one task (one handed back by shutdownNow)
 *              are told apart by the first CAS. Cleared when the run ends.
 *  done     ── volatile; the latch of threads blocked in get(), created on demand by the first
 *              waiter (CAS from null); opened by whoever completes the future, which reads it
 *              after its volatile store of the state, while a waiter re-reads the state after
 *              installing it: one of them sees the other.
 *  deadline ── System.nanoTime() of the due time. Written in the constructor and, for a
 *              periodic task, by the worker re-arming it, as an opaque store (a long must not
 *              tear); read with an opaque load by getDelay/compareTo from any thread. The wheel
 *              reads it under its shard's lock, after the insert that published it.
 *  next, prev, slot
 *           ── the wheel's links and the slot they are in ({@link TimerWheel#NOT_IN_WHEEL}
 *              when in none): plain, read and written only under {@link #shard}'s lock. Once
 *              the driver takes an expired task out of the wheel, {@code next} belongs to the
 *              inject queue the task is spliced into (see {@link Task}).
 * </pre>
 *
 * @param <V> the result type of the task
 */
class ScheduledTask<V> extends Task implements RunnableScheduledFuture<V> {

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int COMPLETING = 2;
    private static final int NORMAL = 3;
    private static final int EXCEPTIONAL = 4;
    private static final int CANCELLED = 5;
    private static final int INTERRUPTING = 6;
    private static final int INTERRUPTED = 7;

    /** The shard whose wheel holds this task while it waits; fixed for the task's life. */
    final TimerShard shard;
    /** A {@link Runnable} or a {@link Callable}: one field instead of an adapter object. */
    private final Object task;

    private volatile int state;
    private Object outcome;
    private volatile Thread runner;
    private volatile CountDownLatch done;
    @SuppressWarnings("unused") // accessed through DEADLINE
    private long deadline;

    /** The previous task in the same wheel slot; see the class comment. */
    ScheduledTask<?> prev;
    /** The wheel slot holding this task, or {@link TimerWheel#NOT_IN_WHEEL}. */
    int slot = TimerWheel.NOT_IN_WHEEL;

    ScheduledTask(TimerShard shard, Object task, long deadline) {
        this.shard = shard;
        this.task = task;
        this.deadline = deadline;
    }

    /** The due time, as a {@link System#nanoTime()} value. */
    final long deadline() {
        return (long) DEADLINE.getOpaque(this);
    }

    final void deadline(long deadline) {
        DEADLINE.setOpaque(this, deadline);
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs the task unless it was cancelled, has already run or is running. The pool calls this
     * when the task is due; a caller of {@code shutdownNow()} may call it on a returned task.
     */
    @Override
    public void run() {
        if (!startRun()) {
            return;
        }
        try {
            final V value;
            try {
                value = call();
            } catch (Throwable error) {
                complete(EXCEPTIONAL, error);
                return;
            }
            complete(NORMAL, value);
        } finally {
            endRun();
        }
    }

    /**
     * Runs the task once without completing the future: a periodic run.
     *
     * @return whether the run returned normally and the task was not cancelled meanwhile, so it
     *     is NEW again and may be scheduled again
     */
    final boolean runAndReset() {
        if (!startRun()) {
            return false;
        }
        try {
            call();
        } catch (Throwable error) {
            complete(EXCEPTIONAL, error);
            endRun();
            return false;
        }
        endRun();
        return STATE.compareAndSet(this, RUNNING, NEW);
    }

    /** Claims the run: false if another thread runs it or it is no longer NEW. */
    private boolean startRun() {
        if (state != NEW || !RUNNER.compareAndSet(this, null, Thread.currentThread())) {
            return false;
        }
        if (STATE.compareAndSet(this, NEW, RUNNING)) {
            return true;
        }
        runner = null;
        return false;
    }

    /** The run's work; {@link SerialTimer} overrides it to hand its task to a mailbox. */
    @SuppressWarnings("unchecked")
    V call() throws Exception {
        if (task instanceof Callable<?> callable) {
            return (V) callable.call();
        }
        ((Runnable) task).run();
        return null;
    }

    private void endRun() {
        runner = null;
        // A cancel(true) that saw this thread as the runner may still be about to interrupt it;
        // wait for that, so the interrupt lands on this task and not on the worker's next one
        // (the worker clears a task's leftover interrupt after every task).
        if (state == INTERRUPTING) {
            while (state == INTERRUPTING) {
                Thread.onSpinWait();
            }
        }
    }

    // ---------------------------------------------------------------- completing

    /** RUNNING → COMPLETING → {@code finalState}; nothing if a cancel(true) got there first. */
    private void complete(int finalState, Object result) {
        if (STATE.compareAndSet(this, RUNNING, COMPLETING)) {
            outcome = result;
            state = finalState;
            finishCompletion();
        }
    }

    /**
     * Cancels the task. A task waiting for its deadline is unlinked from the timer wheel at once
     * (O(1)); one already due and queued stays queued and is skipped when its turn comes.
     *
     * <p>A one-shot task that has started is cancelled only with
     * {@code mayInterruptIfRunning}: its thread is interrupted and its result dropped. Without
     * it, cancelling a started one-shot task fails, so a successful {@code cancel(false)}
     * guarantees the task never runs. A periodic task is cancelled either way: a run under way
     * finishes (interrupted if asked) and no further run starts.
     *
     * @param mayInterruptIfRunning whether to interrupt the pool thread running the task, if it
     *     is running right now
     * @return true if this call cancelled the task
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        for (;;) {
            final int s = state;
            if (s == NEW) {
                if (STATE.compareAndSet(this, NEW, CANCELLED)) {
                    break;
                }
            } else if (s == RUNNING && (mayInterruptIfRunning || isPeriodic())) {
                if (!mayInterruptIfRunning) {
                    if (STATE.compareAndSet(this, RUNNING, CANCELLED)) {
                        break;
                    }
                } else if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                    try {
                        final Thread thread = runner;
                        if (thread != null) {
                            thread.interrupt();
                        }
                    } finally {
                        state = INTERRUPTED;
                    }
                    break;
                }
            } else {
                return false;
            }
        }
        finishCompletion();
        shard.remove(this);
        return true;
    }

    private void finishCompletion() {
        final CountDownLatch latch = done;
        if (latch != null) {
            latch.countDown();
        }
    }

    // ---------------------------------------------------------------- the Future

    @Override
    public boolean isCancelled() {
        return state >= CANCELLED;
    }

    @Override
    public boolean isDone() {
        return state > RUNNING;
    }

    /** Whether the task is waiting for its deadline or its turn: not started, not done. */
    final boolean isPending() {
        return state == NEW;
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        if (state <= COMPLETING) {
            final CountDownLatch latch = latch();
            if (state <= COMPLETING) {
                latch.await();
            }
        }
        return report(state);
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (unit == null) {
            throw new NullPointerException("unit");
        }
        if (state <= COMPLETING) {
            final CountDownLatch latch = latch();
            if (state <= COMPLETING && !latch.await(timeout, unit) && state <= COMPLETING) {
                throw new TimeoutException("not done after " + timeout + " " + unit);
            }
        }
        return report(state);
    }

    private CountDownLatch latch() {
        final CountDownLatch latch = done;
        if (latch != null) {
            return latch;
        }
        final CountDownLatch created = new CountDownLatch(1);
        final CountDownLatch witness = (CountDownLatch) DONE.compareAndExchange(this, null, created);
        return witness == null ? created : witness;
    }

    @SuppressWarnings("unchecked")
    private V report(int s) throws ExecutionException {
        if (s == NORMAL) {
            return (V) outcome;
        }
        if (s >= CANCELLED) {
            throw new CancellationException("task was cancelled: " + task);
        }
        throw new ExecutionException((Throwable) outcome);
    }

    // ---------------------------------------------------------------- the schedule

    /** Whether this task runs again after each run. */
    @Override
    public boolean isPeriodic() {
        return false;
    }

    /**
     * The time left until the deadline, negative once it has passed. The task runs no earlier
     * than the deadline, rounded up to the timer's resolution, so this may read 0 or less
     * shortly before the task starts.
     */
    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(deadline() - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Orders by deadline; ties compare as equal. */
    @Override
    public int compareTo(Delayed other) {
        if (other == this) {
            return 0;
        }
        final long difference = other instanceof ScheduledTask<?> task
                ? deadline() - task.deadline()
                : getDelay(TimeUnit.NANOSECONDS) - other.getDelay(TimeUnit.NANOSECONDS);
        return Long.signum(difference);
    }

    @Override
    public String toString() {
        final int s = state;
        final String status = switch (s) {
            case NORMAL -> "completed normally";
            case EXCEPTIONAL -> "completed exceptionally: " + outcome;
            case CANCELLED, INTERRUPTING, INTERRUPTED -> "cancelled";
            case RUNNING, COMPLETING -> "running";
            default -> "due in " + getDelay(TimeUnit.MICROSECONDS) + " µs";
        };
        return getClass().getSimpleName() + "[" + status + ", task=" + task + "]";
    }

    private static final VarHandle STATE;
    private static final VarHandle RUNNER;
    private static final VarHandle DONE;
    private static final VarHandle DEADLINE;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(ScheduledTask.class, "state", int.class);
            RUNNER = lookup.findVarHandle(ScheduledTask.class, "runner", Thread.class);
            DONE = lookup.findVarHandle(ScheduledTask.class, "done", CountDownLatch.class);
            DEADLINE = lookup.findVarHandle(ScheduledTask.class, "deadline", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
