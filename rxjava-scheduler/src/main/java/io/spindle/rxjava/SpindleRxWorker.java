package io.spindle.rxjava;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.spindle.core.SerialTask;
import io.spindle.core.SerialWorker;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Scheduler.Worker} of a {@link SpindleRxScheduler}: a thin adapter over a
 * {@link SerialWorker}, the serial mailbox in core that the Reactor adapter shares. Its tasks run
 * FIFO (non-delayed ones), one at a time, on whichever pool thread is free; delayed tasks wait
 * in the pool's timer and then join the mailbox. Creating one allocates this object and its
 * {@code SerialWorker}, nothing else: no thread, no registration.
 *
 * <p>Each task passes through {@code RxJavaPlugins.onSchedule} once, first, on the scheduling
 * thread. After {@link #dispose()}, or once the scheduler's lifecycle it was created in has
 * ended, every {@code schedule*} returns {@link Disposable#disposed()} and the task never runs.
 * Task errors go to {@code RxJavaPlugins.onError} and the next task runs. Thread-safe; nothing
 * blocks.
 */
final class SpindleRxWorker extends Scheduler.Worker {

    private final SerialWorker serial;
    private final Lifecycle lifecycle;

    SpindleRxWorker(Lifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.serial = new SerialWorker(lifecycle.pool, RxErrors.TO_PLUGINS);
    }

    @Override
    public Disposable schedule(Runnable run) {
        return schedule(run, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public Disposable schedule(Runnable run, long delay, TimeUnit unit) {
        final Runnable decorated = RxJavaPlugins.onSchedule(run);
        Objects.requireNonNull(unit, "unit is null");
        if (lifecycle.shutdown) {
            return Disposable.disposed();
        }
        final WorkerTask task = new WorkerTask(decorated);
        return serial.offer(task, delay, unit) ? task : Disposable.disposed();
    }

    @Override
    public Disposable schedulePeriodically(Runnable run, long initialDelay, long period, TimeUnit unit) {
        final Runnable decorated = RxJavaPlugins.onSchedule(run);
        Objects.requireNonNull(unit, "unit is null");
        if (isDisposed()) {
            return Disposable.disposed();
        }
        final long initialDelayNanos = unit.toNanos(initialDelay);
        final PeriodicWorkerTask task = new PeriodicWorkerTask(decorated, this, now(TimeUnit.NANOSECONDS), initialDelayNanos, unit.toNanos(period));
        return task.arm(initialDelayNanos) ? task : Disposable.disposed();
    }

    /** A run of a periodic task: no {@code onSchedule}; null if rejected. */
    SerialTask scheduleInternal(Runnable run, long delayNanos) {
        if (lifecycle.shutdown) {
            return null;
        }
        final SerialTask task = serial.schedule(run, delayNanos, TimeUnit.NANOSECONDS);
        return task == SerialWorker.REJECTED ? null : task;
    }

    @Override
    public void dispose() {
        serial.dispose();
    }

    @Override
    public boolean isDisposed() {
        return serial.isDisposed() || lifecycle.rejects();
    }

    @Override
    public String toString() {
        return "SpindleRxScheduler.Worker[" + serial + "]";
    }
}
