package io.spindle.reactor;

import io.spindle.core.TaskErrorHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where the adapter's tasks send what they throw: Reactor's {@code Schedulers.handleError}, as
 * Reactor's own schedulers do: the thread's uncaught-exception handler (or Reactor's logger when
 * it has none), then the {@link Schedulers#onHandleError} hook.
 *
 * <h2>The hop</h2>
 * {@code Schedulers.handleError} is package-private. A task that throws inside a Worker of a
 * {@link Schedulers#fromExecutor(Executor)} scheduler reaches it: the Worker's task wrapper
 * catches the throwable and hands it over (DESIGN.md, "Task errors"). So the error path, and
 * only it, pays for one such task: {@link #report} schedules a task that rethrows the original
 * throwable on {@link #HOP}, a Worker of {@code fromExecutor(}{@link InlineExecutor}{@code )},
 * whose executor runs it at once on the calling thread. Hence:
 * <ul>
 *   <li>{@code handleError} and the hook run on the pool thread that ran the failing task and
 *       receive the original throwable ({@code Exceptions.unwrap} leaves it as it is);
 *   <li>the hop is not decorated by {@code Schedulers.onSchedule}: the Worker of an
 *       {@code ExecutorScheduler} applies the hook only when its executor is not itself a
 *       {@link Scheduler} (Reactor's rule for executors that decorate on their own), and
 *       {@link InlineExecutor} is one. Only the Worker has this exemption; the scheduler's
 *       direct {@code schedule} always decorates, which is why the hop goes through a Worker.
 * </ul>
 * The Worker's task wrapper joins and leaves a {@code Disposable.Composite} per task, which
 * costs a short {@code synchronized} block: on the error path only.
 *
 * <h2>Reported once</h2>
 * The hop reports the throwable exactly once. If the uncaught-exception handler or the hook
 * throws in turn, Reactor's Worker reports that second throwable through {@code handleError}
 * as well and rethrows it wrapped in a {@code RejectedExecutionException}, which
 * {@link #report} swallows: everything has been reported by then. Anything else escaping the
 * hop goes to the thread's uncaught-exception handler, guarded; nothing is rethrown into the
 * pool.
 */
final class ReactorErrors {

    /** The error handler of every Worker's {@code SerialWorker} and of the pools the adapter creates. */
    static final TaskErrorHandler HANDLER = (task, error) -> report(error);

    /** Never disposed: the hop lives as long as the class. */
    private static final Scheduler.Worker HOP = Schedulers.fromExecutor(new InlineExecutor()).createWorker();

    private ReactorErrors() {}

    /**
     * Reports {@code error} through {@code Schedulers.handleError} on the calling thread; never
     * throws.
     */
    static void report(Throwable error) {
        try {
            HOP.schedule(new Rethrow(error));
        } catch (RejectedExecutionException alreadyReported) {
            // Reactor's Worker reported the handler's failure before throwing this.
        } catch (Throwable hopFailure) {
            final Thread current = Thread.currentThread();
            try {
                current.getUncaughtExceptionHandler().uncaughtException(current, hopFailure);
            } catch (Throwable ignored) {
                // Nothing left to report to; the pool thread must go on regardless.
            }
        }
    }

    /** Throws the original throwable, checked or not, unwrapped. */
    private record Rethrow(Throwable error) implements Runnable {
        @Override
        public void run() {
            throw ReactorErrors.<RuntimeException>sneaky(error);
        }
    }

    @SuppressWarnings("unchecked") // the cast is erased: the original throwable goes up as it is
    private static <E extends Throwable> E sneaky(Throwable error) throws E {
        throw (E) error;
    }

    /**
     * Runs each task at once on the calling thread. A {@link Scheduler} too, only so that
     * Reactor's {@code ExecutorScheduler} Worker does not apply {@code onSchedule} to the hop
     * (see the class comment); its scheduler methods are never used and reject.
     */
    static final class InlineExecutor implements Executor, Scheduler {

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public Disposable schedule(Runnable task) {
            throw Exceptions.failWithRejected();
        }

        @Override
        public Worker createWorker() {
            throw Exceptions.failWithRejected();
        }

        @Override
        public String toString() {
            return "SpindleScheduler.errorHop";
        }
    }
}
