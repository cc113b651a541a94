package io.spindle.benchmarks;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Runs each task on the thread that submits it, trampolined: a task submitted while a task is
 * running on the same thread is queued and runs after the running one returns, so a chain of
 * tasks that each submit the next runs in a loop instead of growing the stack.
 *
 * <p>The baseline of the executor benchmarks: what a task costs with no hand-off between
 * threads at all. A task that throws does not stop the tasks queued behind it; its error goes
 * to the thread's uncaught-exception handler, as it would on a pool thread.
 */
final class TrampolineExecutor implements ExecutorHandle {

    /** The tasks waiting on one thread while one of them runs. */
    private static final class Trampoline {
        final ArrayDeque<Runnable> pending = new ArrayDeque<>();
        boolean running;
    }

    private final ThreadLocal<Trampoline> trampolines = ThreadLocal.withInitial(Trampoline::new);

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        final Trampoline trampoline = trampolines.get();
        if (trampoline.running) {
            trampoline.pending.addLast(task);
            return;
        }
        trampoline.running = true;
        try {
            Runnable next = task;
            do {
                runReportingErrors(next);
                next = trampoline.pending.pollFirst();
            } while (next != null);
        } finally {
            trampoline.running = false;
        }
    }

    /** Owns nothing: every task ran on its submitter's thread. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "TrampolineExecutor";
    }

    private static void runReportingErrors(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            final Thread thread = Thread.currentThread();
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
        }
    }
}
