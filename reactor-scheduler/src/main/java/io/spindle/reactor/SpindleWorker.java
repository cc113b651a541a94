package io.spindle.reactor;

import io.spindle.core.SerialTask;
import io.spindle.core.SerialWorker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link Scheduler.Worker} of a {@link SpindleScheduler}: a thin adapter over a
 * {@link SerialWorker}, core's serial mailbox (shared with the RxJava adapter). Its tasks run
 * one at a time, never overlapping, delayed and periodic ones included; non-delayed ones in the
 * order they were scheduled, delayed ones when due (equal delays from one thread in order); on
 * whichever pool thread is free. The {@code SerialWorker} is created with
 * {@code interruptOnCancel}: disposing a running task, or the Worker, from another thread
 * interrupts the task, as Reactor's Workers do.
 *
 * <p><b>Cost.</b> Creating a Worker allocates this object and its {@code SerialWorker}: no
 * thread, no lock, nothing registered anywhere; disposing it is a CAS (plus cancelling pending
 * timers and periodic tasks, if it has any). A task costs one object, its {@link WorkerTask},
 * which is the mailbox node and the handle at once; a delayed task adds one pool timer entry.
 *
 * <p><b>Rejection.</b> A disposed Worker, or one whose scheduler has been disposed, throws
 * Reactor's {@link Exceptions#failWithRejected()} singleton from every {@code schedule*}, which
 * allocates nothing (Reactor's own test suite checks the identity). A task rejected up front is
 * not passed to {@code Schedulers.onSchedule}.
 *
 * <p><b>Errors.</b> What a task throws goes to {@code Schedulers.onHandleError} (see
 * {@link ReactorErrors}) and the next task runs.
 *
 * <h2>Fields</h2>
 * <pre>
 *  serial, lifecycle, parent ── final.
 *  periodic ── this Worker's {@link PeriodicRegistry}, made by the first schedulePeriodically
 *              (CAS from null) and registered in the scheduler's; volatile. dispose() disposes
 *              the SerialWorker (a CAS), then reads periodic; the maker CASes periodic, then
 *              reads the SerialWorker's disposed flag: one of them sees the other, so a registry
 *              made while the Worker is disposed is disposed by one or the other (twice is
 *              harmless). So disposing a Worker that never had a periodic task costs one CAS
 *              and one read.
 * </pre>
 */
final class SpindleWorker implements Scheduler.Worker, Scannable {

    private final SerialWorker serial;
    private final Lifecycle lifecycle;
    private final SpindleScheduler parent;
    @SuppressWarnings("unused") // accessed through PERIODIC
    private volatile PeriodicRegistry periodic;

    SpindleWorker(Lifecycle lifecycle, SpindleScheduler parent) {
        this.lifecycle = lifecycle;
        this.parent = parent;
        this.serial = new SerialWorker(lifecycle.pool, ReactorErrors.HANDLER, true);
    }

    @Override
    public Disposable schedule(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (rejects()) {
            throw Exceptions.failWithRejected();
        }
        final WorkerTask queued = new WorkerTask(Schedulers.onSchedule(task));
        if (!serial.offer(queued)) {
            throw Exceptions.failWithRejected();
        }
        return queued;
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        if (rejects()) {
            throw Exceptions.failWithRejected();
        }
        final WorkerTask queued = new WorkerTask(Schedulers.onSchedule(task));
        if (!serial.offer(queued, delay, unit)) {
            throw Exceptions.failWithRejected();
        }
        return queued;
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        if (rejects()) {
            throw Exceptions.failWithRejected();
        }
        final long initialDelayNanos = Math.max(0, unit.toNanos(initialDelay));
        final PeriodicWorkerTask periodicTask = new PeriodicWorkerTask(Schedulers.onSchedule(task), this,
                System.nanoTime() + initialDelayNanos, unit.toNanos(period));
        if (!periodicRegistry().add(periodicTask) || !periodicTask.arm(initialDelayNanos)) {
            throw Exceptions.failWithRejected();
        }
        return periodicTask;
    }

    /** A run of a periodic task: not decorated again; null if rejected. */
    SerialTask scheduleRun(Runnable run, long delayNanos) {
        if (lifecycle.isDisposed()) {
            return null;
        }
        final SerialTask task = serial.schedule(run, delayNanos, TimeUnit.NANOSECONDS);
        return task == SerialWorker.REJECTED ? null : task;
    }

    /** A periodic task of this Worker stopped: it leaves the registry. */
    void periodicStopped(PeriodicWorkerTask task) {
        final PeriodicRegistry registry = (PeriodicRegistry) PERIODIC.getVolatile(this);
        if (registry != null) {
            registry.remove(task);
        }
    }

    /** This Worker's registry, made and registered with the scheduler's on first use. */
    private PeriodicRegistry periodicRegistry() {
        final PeriodicRegistry existing = (PeriodicRegistry) PERIODIC.getVolatile(this);
        if (existing != null) {
            return existing;
        }
        final PeriodicRegistry fresh = new PeriodicRegistry();
        final PeriodicRegistry witness = (PeriodicRegistry) PERIODIC.compareAndExchange(this, (PeriodicRegistry) null, fresh);
        if (witness != null) {
            return witness;
        }
        lifecycle.periodic.add(fresh);
        if (serial.isDisposed()) {
            // A dispose() that read periodic before the CAS above: see the class comment.
            fresh.dispose();
            lifecycle.periodic.remove(fresh);
        }
        return fresh;
    }

    private boolean rejects() {
        return serial.isDisposed() || lifecycle.isDisposed();
    }

    /**
     * Disposes the Worker: every {@code schedule*} rejects from now on; pending tasks never run
     * and report disposed, their timers are removed at once; periodic tasks stop; a running task
     * is interrupted if this is called from another thread. Idempotent; never blocks.
     */
    @Override
    public void dispose() {
        serial.dispose();
        final PeriodicRegistry registry = (PeriodicRegistry) PERIODIC.getVolatile(this);
        if (registry != null) {
            registry.dispose();
            lifecycle.periodic.remove(registry);
        }
    }

    @Override
    public boolean isDisposed() {
        return rejects();
    }

    @Override
    @SuppressWarnings("rawtypes") // Scannable declares the raw type
    public Object scanUnsafe(Attr key) {
        if (key == Attr.TERMINATED || key == Attr.CANCELLED) {
            return isDisposed();
        }
        if (key == Attr.BUFFERED) {
            return serial.queuedTasks();
        }
        if (key == Attr.PARENT) {
            return parent;
        }
        if (key == Attr.NAME) {
            return parent + ".worker";
        }
        return null;
    }

    @Override
    public String toString() {
        return parent + ".worker[" + (isDisposed() ? "disposed" : "queued=" + serial.queuedTasks()) + "]";
    }

    private static final VarHandle PERIODIC;

    static {
        try {
            PERIODIC = MethodHandles.lookup().findVarHandle(SpindleWorker.class, "periodic", PeriodicRegistry.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
