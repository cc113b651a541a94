package io.spindle.reactor;

/**
 * A one-shot direct task ({@code Scheduler.schedule(task)} and
 * {@code schedule(task, delay, unit)}): straight into the pool's queues (no Worker), or the
 * command of a pool timer whose future it keeps, so that disposing it removes the timer at once.
 * It reports disposed once it has finished, as Reactor's {@code SchedulerTask} does. See
 * {@link DirectRun} for the states, interrupts and fields.
 */
final class DirectTask extends DirectRun {

    DirectTask(Runnable task) {
        super(task);
    }

    @Override
    public void run() {
        if (!startRun()) {
            return;
        }
        runOnce();
        endRun(DONE);
    }

    @Override
    public String toString() {
        return "SpindleScheduler.DirectTask[" + status() + ", task=" + task + "]";
    }
}
