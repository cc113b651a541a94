package io.spindle.core;

/**
 * Receives what a task threw, so that a failing task never takes its worker down with it.
 *
 * <p>Called on the worker thread that ran the task, right after the task threw, before the
 * worker runs anything else. Every {@link Throwable} arrives here, {@link Error}s such as
 * {@link StackOverflowError} included. A handler should be quick and must not block for long:
 * it holds up the worker's queue while it runs. If the handler itself throws, the worker thread
 * dies with that exception (reported to the thread's uncaught-exception handler) and the pool
 * starts a replacement thread that takes over the worker's queue, so no task is lost.
 *
 * <p>The default, {@link #UNCAUGHT_EXCEPTION_HANDLER}, hands the error to the worker thread's
 * {@link Thread.UncaughtExceptionHandler}, as a plain {@code ThreadPoolExecutor} would.
 */
@FunctionalInterface
public interface TaskErrorHandler {

    /**
     * Passes the error to the current thread's uncaught-exception handler (by default its thread
     * group, which prints the stack trace to standard error) and keeps the worker running.
     */
    TaskErrorHandler UNCAUGHT_EXCEPTION_HANDLER = (task, error) -> {
        final Thread thread = Thread.currentThread();
        thread.getUncaughtExceptionHandler().uncaughtException(thread, error);
    };

    /**
     * Handles an error thrown by a task.
     *
     * @param task the runnable as it was submitted to the pool
     * @param error what it threw; never null
     */
    void handle(Runnable task, Throwable error);
}
