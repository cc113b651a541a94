package io.spindle.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A worker seen running one task for longer than its pool's stall threshold, as handed to a
 * {@link StallListener}. Immutable; safe to keep and to pass between threads.
 *
 * @param pool the pool's name
 * @param workerIndex the worker's index, {@code 0..workers-1}, as in {@link PoolMetrics}
 * @param thread the worker's thread (the task is probably still running on it)
 * @param task the task as it was submitted to the pool
 * @param duration how long the worker had been running the task when the stall was seen: at
 *     least this long, and less than this plus a quarter of the threshold more
 * @param stackTrace the worker thread's stack when the stall was seen, innermost frame first;
 *     empty if the JVM could not provide it
 */
public record WorkerStall(String pool, int workerIndex, Thread thread, Runnable task, Duration duration,
                          List<StackTraceElement> stackTrace) {

    /**
     * Checks the components and copies the stack trace.
     *
     * @throws NullPointerException if any component is null
     */
    public WorkerStall {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(duration, "duration");
        stackTrace = List.copyOf(stackTrace);
    }

    /**
     * The stack trace as a {@link Throwable} prints it: one {@code \tat frame} line per frame.
     *
     * @return the frames, one per line, or an empty string
     */
    public String formatStackTrace() {
        final StringBuilder out = new StringBuilder();
        for (StackTraceElement frame : stackTrace) {
            out.append("\tat ").append(frame).append('\n');
        }
        return out.toString();
    }
}
