package io.spindle.rxjava;

import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.SchedulerRunnableIntrospection;
import io.spindle.core.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Future;

/**
 * A task of {@code scheduleDirect}, immediate or delayed: the pool {@link Task} and the
 * {@link Disposable} handed back, in one object. An immediate one goes into the pool's queues
 * as it is (the pool queues a {@code Task} without wrapping it); a delayed one is the command
 * of a pool timer, whose future it keeps so that {@link #dispose()} removes the timer at once.
 *
 * <h2>States</h2>
 * <pre>
 *  READY ──run──→ RUNNING ──returns / throws──→ FINISHED
 *    │               └──dispose──→ DISPOSED (the run goes on; no interrupt)
 *    └──dispose──→ DISPOSED (never runs)
 * </pre>
 * Every transition is a CAS on {@code state}, so a dispose racing the start either stops the
 * task or finds it started, never both. {@link #isDisposed()} is true from FINISHED on, as
 * RxJava's {@code AbstractDirectTask} reports (a finished direct task counts as disposed), and
 * also once the pool timer of a delayed task was cancelled by the owning scheduler's shutdown.
 *
 * <p>A running task is not interrupted by {@code dispose()}: pool threads are shared by every
 * Worker and direct task, and an interrupt aimed at one task must not land on the next.
 *
 * <h2>Fields</h2>
 * <pre>
 *  state  ── volatile, CAS through STATE.
 *  timer  ── the pool timer of a delayed task; volatile. The scheduling thread stores it, then
 *            re-reads state; dispose() CASes state, then reads timer. One of them sees the
 *            other, so a dispose racing the arming still cancels the timer.
 * </pre>
 */
final class DirectTask extends Task implements Disposable, SchedulerRunnableIntrospection {

    private static final int READY = 0;
    private static final int RUNNING = 1;
    private static final int FINISHED = 2;
    private static final int DISPOSED = 3;

    private final Runnable run;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    private volatile Future<?> timer;

    DirectTask(Runnable run) {
        this.run = run;
    }

    @Override
    public void run() {
        if (!STATE.compareAndSet(this, READY, RUNNING)) {
            return;
        }
        try {
            run.run();
        } catch (Throwable error) {
            RxErrors.report(error);
        }
        STATE.compareAndSet(this, RUNNING, FINISHED);
    }

    /** Keeps the pool timer of a delayed task; cancels it if the task was disposed meanwhile. */
    void armed(Future<?> armed) {
        timer = armed;
        if (state == DISPOSED) {
            armed.cancel(false);
        }
    }

    @Override
    public void dispose() {
        for (;;) {
            final int s = state;
            if (s >= FINISHED) {
                return;
            }
            if (STATE.compareAndSet(this, s, DISPOSED)) {
                if (s == READY) {
                    final Future<?> armed = timer;
                    if (armed != null) {
                        armed.cancel(false);
                    }
                }
                return;
            }
        }
    }

    @Override
    public boolean isDisposed() {
        if (state >= FINISHED) {
            return true;
        }
        final Future<?> armed = timer;
        return armed != null && armed.isCancelled();
    }

    @Override
    public Runnable getWrappedRunnable() {
        return run;
    }

    @Override
    public String toString() {
        final String status = switch (state) {
            case READY -> "ready";
            case RUNNING -> "running";
            case FINISHED -> "finished";
            default -> "disposed";
        };
        return "SpindleRxScheduler.DirectTask[" + status + ", run=" + run + "]";
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DirectTask.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
