package io.spindle.core;

import java.lang.System.Logger.Level;

/**
 * Told when a worker has run one task for longer than its pool's stall threshold (see
 * {@code WorkStealingPool.Builder.stallThreshold}): the usual sign that a task blocked a thread
 * that must not block, or spins.
 *
 * <p>Called once per stall, on the pool's stall detector thread ({@code <pool>-monitor}), never
 * on a worker; calls for one pool never overlap. By the time it is called the stall is already
 * counted in {@link PoolMetrics#stallCount(int)}, recorded as the JFR event
 * {@code io.spindle.WorkerStall}, and the stalled worker's LIFO-slot task, if any, has been moved
 * to the inject queue where other workers can run it. A listener should return promptly: while
 * it runs, stalls of other workers of the pool are not looked for. If it throws, the throwable
 * goes to the detector thread's uncaught-exception handler and detection goes on.
 *
 * <p>The default, {@link #LOG_WARNING}, logs a warning through {@link System.Logger}.
 */
@FunctionalInterface
public interface StallListener {

    /**
     * Logs a warning through the {@link System.Logger} named {@code io.spindle.core.WorkStealingPool}:
     * the worker thread's name, how long it has run the task, the task's class and the worker's
     * stack trace. Stateless; safe for any number of pools.
     */
    StallListener LOG_WARNING = stall -> System.getLogger(WorkStealingPool.class.getName()).log(Level.WARNING,
            () -> "Worker " + stall.thread().getName() + " of pool " + stall.pool() + " has been running one task for at least "
                    + stall.duration().toMillis() + " ms (" + stall.task().getClass().getName()
                    + "); a task that blocks or spins holds up the tasks queued behind it. Its stack:\n"
                    + stall.formatStackTrace());

    /**
     * Handles one stall.
     *
     * @param stall the worker, the task, how long and the stack trace; never null
     */
    void onStall(WorkerStall stall);
}
