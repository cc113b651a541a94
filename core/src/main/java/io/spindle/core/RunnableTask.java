package io.spindle.core;

/**
 * Carries a plain {@link Runnable} through the pool's queues. The pool hands the runnable back
 * unchanged from {@code shutdownNow()} and to the task error handler.
 */
final class RunnableTask extends Task {
    final Runnable runnable;

    RunnableTask(Runnable runnable) {
        this.runnable = runnable;
    }

    @Override
    public void run() {
        runnable.run();
    }

    /** The runnable a user passed in for {@code task}: the wrapped one, or the task itself. */
    static Runnable unwrap(Task task) {
        return task instanceof RunnableTask r ? r.runnable : task;
    }

    /** The task that carries {@code runnable}: itself if it already is one. */
    static Task wrap(Runnable runnable) {
        return runnable instanceof Task t ? t : new RunnableTask(runnable);
    }

    @Override
    public String toString() {
        return runnable.toString();
    }
}
