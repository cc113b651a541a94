package io.spindle.reactor;

import io.spindle.core.SerialTask;
import reactor.core.Disposable;

/**
 * A task of a {@link SpindleWorker}: the node of its {@code SerialWorker}'s mailbox and the
 * {@link Disposable} handed back, in one object, so a Worker task costs one allocation.
 * {@link SerialTask} already has the {@code dispose()}/{@code isDisposed()} pair Reactor's
 * {@code Disposable} declares, with the semantics Reactor's {@code WorkerTask} has: disposing a
 * task that has not started keeps it from running (a delayed one's timer is removed at once);
 * disposing a running one from another thread interrupts it (the Worker's {@code SerialWorker}
 * is created with {@code interruptOnCancel}), from the task itself never; {@code isDisposed()}
 * is true once the task finished, was disposed, or its Worker was.
 */
final class WorkerTask extends SerialTask implements Disposable {

    WorkerTask(Runnable task) {
        super(task);
    }
}
