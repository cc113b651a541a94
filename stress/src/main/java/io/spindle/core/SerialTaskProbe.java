package io.spindle.core;

/**
 * What a {@link SerialTask}'s state says, for the Reactor adapter's stress tests in
 * {@code io.spindle.reactor}, which cannot read the package-private state themselves.
 */
public final class SerialTaskProbe {

    private SerialTaskProbe() {}

    /**
     * Whether {@code task} has reached a final state: finished, cancelled (it will never run),
     * or disposed or interrupted while it ran. Volatile load.
     *
     * @param task the task
     * @return false while it is new, delayed, queued or running
     */
    public static boolean settled(SerialTask task) {
        return task.state() >= SerialTask.FINISHED;
    }

    /**
     * Whether {@code task} was cancelled before it started, so it never runs. Volatile load.
     *
     * @param task the task
     * @return true if cancelled
     */
    public static boolean cancelled(SerialTask task) {
        return task.state() == SerialTask.CANCELLED;
    }
}
