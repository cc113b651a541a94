package io.spindle.reactor;

import io.spindle.core.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Future;
import reactor.core.Disposable;

/**
 * What a direct task ({@code Scheduler.schedule*}, no Worker) is made of: the pool {@link Task}
 * and the {@link Disposable} handed back, in one object, with the run/cancel state machine both
 * the one-shot {@link DirectTask} and the {@link PeriodicDirectTask} need. As a {@code Task} it
 * is queued by the pool as it is, with no wrapper.
 *
 * <h2>States</h2>
 * <pre>
 *  IDLE ──run──→ RUNNING ──returns / throws──→ IDLE (periodic: the next run may come)
 *   │               │                       └→ DONE (one-shot, or a periodic task that stops)
 *   │               └──dispose──→ INTERRUPTING ──interrupt, unless from the run's own thread──→ DONE
 *   │                                                                   (the run goes on either way)
 *   └──dispose──→ DONE (never runs again)
 * </pre>
 * Every transition is a CAS on {@code state}, so a dispose racing the start of a run either
 * stops it or finds it started, never both. A dispose from another thread interrupts the
 * running thread, as Reactor's {@code SchedulerTask} does with {@code future.cancel(true)}; a
 * dispose from the running task itself never does (reactor-core #1107). The run waits, at its
 * end, for an interrupt being delivered (INTERRUPTING) to be done, so the interrupt lands on
 * this task; the pool's worker clears the flag before its next task, so it never leaks into
 * another one.
 *
 * <h2>Fields</h2>
 * <pre>
 *  state  ── volatile, CAS through STATE (INTERRUPTING → DONE: a volatile store by the
 *            canceller that won RUNNING → INTERRUPTING).
 *  runner ── the thread of the current run: a plain store by the run before its CAS
 *            IDLE → RUNNING, read by a canceller only after its own CAS RUNNING →
 *            INTERRUPTING, which read the value that CAS published (and which keeps the run
 *            from ending until the canceller is done).
 *  timer  ── the pool timer of a delayed or periodic task; volatile. The scheduling thread
 *            stores it, then re-reads state; dispose() CASes state, then reads timer: one of
 *            them sees the other, so a dispose racing the arming still cancels the timer.
 * </pre>
 */
abstract class DirectRun extends Task implements Disposable {

    static final int IDLE = 0;
    static final int RUNNING = 1;
    static final int INTERRUPTING = 2;
    static final int DONE = 3;

    final Runnable task;
    /** The scheduler's state when the task was scheduled: a forced dispose stops tasks not yet started. */
    final Lifecycle lifecycle;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    private Thread runner;
    private volatile Future<?> timer;

    DirectRun(Runnable task, Lifecycle lifecycle) {
        this.task = task;
        this.lifecycle = lifecycle;
    }

    /**
     * IDLE → RUNNING on the calling thread; false if disposed (or, wrongly, already running).
     * A task whose owned pool a forced dispose has stopped goes to DONE instead and never runs
     * (see {@link Lifecycle}): its timer may have expired into the pool just before
     * {@code shutdownNow()} emptied the wheel.
     */
    final boolean startRun() {
        if (lifecycle.isStopped()) {
            if (STATE.compareAndSet(this, IDLE, DONE)) {
                stopped();
            }
            return false;
        }
        runner = Thread.currentThread();
        return STATE.compareAndSet(this, IDLE, RUNNING);
    }

    /**
     * Ends a run: RUNNING → {@code next}. If a dispose came first, waits until its interrupt, if
     * any, has been delivered.
     *
     * @param next IDLE for a periodic task that goes on, DONE for the end
     * @return false if the task was disposed while it ran
     */
    final boolean endRun(int next) {
        if (STATE.compareAndSet(this, RUNNING, next)) {
            return true;
        }
        while ((int) STATE.getVolatile(this) == INTERRUPTING) {
            Thread.onSpinWait();
        }
        return false;
    }

    /** Runs the task once, reporting what it throws; true if it returned normally. */
    final boolean runOnce() {
        try {
            task.run();
            return true;
        } catch (Throwable error) {
            ReactorErrors.report(error);
            return false;
        }
    }

    /** Stores the pool timer; cancels it at once if the task was disposed meanwhile. */
    final void armed(Future<?> armed) {
        timer = armed;
        if ((int) STATE.getVolatile(this) == DONE) {
            armed.cancel(false);
        }
    }

    /** Called once, by the dispose that made the task DONE, for subclasses to clean up. */
    void stopped() {}

    /**
     * Cancels the task: one that has not started never will (a delayed one's pool timer is
     * removed at once, O(1)); a running one is interrupted if this is called from another
     * thread, and reports disposed from now on. Idempotent; never blocks.
     */
    @Override
    public final void dispose() {
        for (;;) {
            final int s = (int) STATE.getVolatile(this);
            if (s == IDLE) {
                if (STATE.compareAndSet(this, IDLE, DONE)) {
                    break;
                }
            } else if (s == RUNNING) {
                if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                    // Read only now: this CAS read the RUNNING that the current run's start
                    // stored after writing runner, and that run cannot end (nor a periodic
                    // task's next one start) until DONE below. Read before the CAS, it could be
                    // the thread of an earlier run of a periodic task.
                    final Thread thread = runner;
                    try {
                        if (thread != Thread.currentThread()) {
                            thread.interrupt();
                        }
                    } finally {
                        STATE.setVolatile(this, DONE);
                    }
                    break;
                }
            } else {
                return;
            }
        }
        final Future<?> armed = timer;
        if (armed != null) {
            armed.cancel(false);
        }
        stopped();
    }

    /**
     * Whether the task is done with: finished (a one-shot task), disposed, stopped, not started
     * when a forced dispose stopped its pool, or its pool timer cancelled by the pool's shutdown.
     */
    @Override
    public boolean isDisposed() {
        final int s = (int) STATE.getVolatile(this);
        if (s == DONE || s == IDLE && lifecycle.isStopped()) {
            return true;
        }
        final Future<?> armed = timer;
        return armed != null && armed.isCancelled();
    }

    /** For toString(). */
    final String status() {
        return switch ((int) STATE.getVolatile(this)) {
            case IDLE -> "idle";
            case RUNNING, INTERRUPTING -> "running";
            default -> "done";
        };
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DirectRun.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
