package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Finds workers that have run one task for longer than the stall threshold, and reports each
 * such stall once. Tokio detects nothing of the kind (reference/tokio.md §7); this is Spindle's
 * own.
 *
 * <h2>How a stall is seen without timing any task</h2>
 * A worker already keeps a poll counter ({@link WorkerMetrics#pollCount()}, one opaque store per
 * task) and stores the task it is about to run into {@link Worker#runningTask()} (one more
 * opaque store per task; cleared when the worker runs out of work). That is all the run loop
 * pays. {@link #check} looks at every worker every {@value #LOOKS_PER_THRESHOLD}th of the
 * threshold. A worker whose poll counter and running task are the same as at the earlier look
 * has been inside that one task since at least then; once that is {@code threshold} or more, the
 * stall is reported, and not again until the counter or the task changes. So a task that runs
 * {@code threshold × (1 + 1/LOOKS_PER_THRESHOLD)} or longer is always reported, one shorter than
 * {@code threshold} never, and the reported duration is a lower bound. Only a stall's report
 * reads the clock-free worker's stack ({@link Thread#getStackTrace()}), and it is kept only if
 * the worker is still in the same task afterwards, so the stack is the stalled task's.
 *
 * <h2>Reporting</h2>
 * In this order: the worker's LIFO-slot task, if any, moves to the inject queue and a parked
 * worker is woken for it (a task put in the slot of a worker that then stalls would otherwise
 * wait for it; the LIFO watcher and searching thieves take such tasks too, this makes sure of
 * it); the worker's stall count goes up; the JFR event {@code io.spindle.WorkerStall} is
 * committed if a recording wants it; the {@link StallListener} is called.
 *
 * <h2>Idle cost</h2>
 * {@link #check} returns {@link Long#MAX_VALUE} when every worker is parked: there is nothing to
 * watch until one wakes, and the driver ({@link StallMonitor}) then parks without a timeout and
 * is woken by {@link Idle} on the transition from all parked to one awake.
 *
 * <h2>Fields and who touches them</h2>
 * <pre>
 *  pool, thresholdNanos, lookIntervalNanos, listener ── final.
 *  seenPolls, seenTasks, seenAt, reported ── plain arrays, read and written only by the thread
 *                 that calls check(); calls must not overlap (one driver thread at a time).
 *  stallCounts ── written by check()'s thread with opaque stores of the plain value plus one;
 *                 read by any thread with opaque loads ({@link #stallCount}), as WorkerMetrics.
 * </pre>
 * What it reads of a worker: {@code pollCount} and {@code runningTask}, opaque loads of fields the
 * worker writes with opaque stores; {@code thread}, volatile; the LIFO slot through the slot's
 * own protocol (a CAS from the task it saw to null, see {@link Worker}); the pool's idle word,
 * volatile.
 */
final class StallDetector {

    /** Looks per threshold: a stall is seen at most a quarter threshold late. */
    static final int LOOKS_PER_THRESHOLD = 4;

    private final WorkStealingPool pool;
    private final long thresholdNanos;
    private final long lookIntervalNanos;
    private final StallListener listener;
    private final long[] seenPolls;
    private final Task[] seenTasks;
    private final long[] seenAt;
    private final boolean[] reported;
    private final long[] stallCounts;

    StallDetector(WorkStealingPool pool, int workers, Duration threshold, StallListener listener) {
        this.pool = pool;
        this.thresholdNanos = threshold.toNanos();
        this.lookIntervalNanos = Math.max(1, thresholdNanos / LOOKS_PER_THRESHOLD);
        this.listener = listener;
        this.seenPolls = new long[workers];
        this.seenTasks = new Task[workers];
        this.seenAt = new long[workers];
        this.reported = new boolean[workers];
        this.stallCounts = new long[workers];
    }

    /**
     * Looks at every worker once and reports the stalls found.
     *
     * @param nowNanos the current {@link System#nanoTime()}
     * @return the {@code nanoTime} at which to call again, or {@link Long#MAX_VALUE} if every
     *     worker is parked (call again once one is not)
     */
    long check(long nowNanos) {
        if (pool.idle.unparkedNow() == 0) {
            Arrays.fill(seenTasks, null);
            return Long.MAX_VALUE;
        }
        final Worker[] workers = pool.workers;
        for (int i = 0; i < workers.length; i++) {
            final Worker worker = workers[i];
            final Task task = worker.runningTask();
            final long polls = worker.metrics.pollCount();
            if (task == null || task != seenTasks[i] || polls != seenPolls[i]) {
                seenTasks[i] = task;
                seenPolls[i] = polls;
                seenAt[i] = nowNanos;
                reported[i] = false;
            } else if (!reported[i] && nowNanos - seenAt[i] >= thresholdNanos) {
                reported[i] = report(worker, task, polls, nowNanos - seenAt[i]);
            }
        }
        return nowNanos + lookIntervalNanos;
    }

    /** Reports a stall unless the worker moved on while its stack was taken; true if reported. */
    private boolean report(Worker worker, Task task, long polls, long stalledNanos) {
        final Thread thread = worker.thread;
        final StackTraceElement[] stack = thread.getStackTrace();
        if (worker.runningTask() != task || worker.metrics.pollCount() != polls) {
            return false;
        }
        final Task lifo = worker.takeLifoForRescue();
        if (lifo != null) {
            pool.inject.spliceEvenIfClosed(lifo, lifo, 1);
            pool.notifyParked();
        }
        final int i = worker.index;
        STALL_COUNTS.setOpaque(stallCounts, i, stallCounts[i] + 1);
        final WorkerStall stall = new WorkerStall(pool.name(), i, thread, RunnableTask.unwrap(task),
                Duration.ofNanos(stalledNanos), List.of(stack));
        try {
            JfrEvents.stall(stall);
        } catch (Throwable error) {
            uncaught(error);
        }
        try {
            listener.onStall(stall);
        } catch (Throwable error) {
            uncaught(error);
        }
        return true;
    }

    /** A failing listener or recording must not end detection: report it and go on. */
    private static void uncaught(Throwable error) {
        final Thread current = Thread.currentThread();
        current.getUncaughtExceptionHandler().uncaughtException(current, error);
    }

    /** Stalls reported for worker {@code index}; any thread. */
    long stallCount(int index) {
        return (long) STALL_COUNTS.getOpaque(stallCounts, index);
    }

    private static final VarHandle STALL_COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
}
