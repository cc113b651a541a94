package io.spindle.rxjava;

import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.spindle.core.TaskErrorHandler;

/** Where the adapter's tasks send what they throw: {@link RxJavaPlugins#onError}, as RxJava's own schedulers do. */
final class RxErrors {

    /**
     * The error handler of every Worker's {@code SerialWorker} and of the pools the adapter
     * creates. {@code RxJavaPlugins.onError} wraps non-"bug" exceptions in an
     * {@code UndeliverableException} and hands them to the plugin handler, else to the thread's
     * uncaught-exception handler; either way the pool thread lives on.
     */
    static final TaskErrorHandler TO_PLUGINS = (task, error) -> RxJavaPlugins.onError(error);

    private RxErrors() {}

    /** Reports {@code error} and never throws: a failing handler must not take the pool thread down. */
    static void report(Throwable error) {
        try {
            RxJavaPlugins.onError(error);
        } catch (Throwable handlerError) {
            final Thread current = Thread.currentThread();
            try {
                current.getUncaughtExceptionHandler().uncaughtException(current, handlerError);
            } catch (Throwable ignored) {
                // Nothing left to report to.
            }
        }
    }
}
