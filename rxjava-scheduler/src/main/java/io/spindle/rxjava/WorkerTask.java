package io.spindle.rxjava;

import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.SchedulerRunnableIntrospection;
import io.spindle.core.SerialTask;

/**
 * A task of a {@link SpindleRxWorker}: the node of its {@code SerialWorker}'s mailbox and the
 * {@link Disposable} handed back, in one object. {@link SerialTask} already has the
 * {@code dispose()}/{@code isDisposed()} pair RxJava's {@code Disposable} declares, with the
 * semantics it asks for: a disposed task that has not started never runs; {@code isDisposed()}
 * is true once the task finished, was disposed, or its Worker was.
 */
final class WorkerTask extends SerialTask implements Disposable, SchedulerRunnableIntrospection {

    WorkerTask(Runnable run) {
        super(run);
    }

    @Override
    public Runnable getWrappedRunnable() {
        return task();
    }
}
