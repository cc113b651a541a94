package io.spindle.rxjava;

import io.reactivex.rxjava3.core.Scheduler;

/**
 * The fixed-rate arithmetic of RxJava's {@code Scheduler.Worker.PeriodicTask}, shared by the
 * adapter's two periodic tasks (direct and on a Worker): run {@code n} is due at
 * {@code start + n * period} on the scheduler's clock ({@link Scheduler#now}), so late runs do
 * not push the later ones back; when the clock jumps backwards by more than
 * {@link Scheduler#clockDriftTolerance()}, or forwards past {@code last + period + tolerance},
 * the schedule is rebased on the current time instead of firing a burst of catch-up runs (or
 * none for a long while). A period of zero or less repeats with no delay.
 *
 * <p>The fields are plain: a periodic task runs one tick at a time (each tick is scheduled when
 * the previous one returns), and the scheduling of the next tick publishes them to the thread
 * that runs it.
 */
abstract class FixedRate {

    private final long periodNanos;
    private long startNanos;
    private long lastNowNanos;
    private long count;

    /**
     * @param firstNowNanos the scheduler's clock when the task was scheduled
     * @param initialDelayNanos the delay before the first run
     * @param periodNanos the period; zero or less for "no delay"
     */
    FixedRate(long firstNowNanos, long initialDelayNanos, long periodNanos) {
        this.periodNanos = periodNanos;
        this.startNanos = firstNowNanos + initialDelayNanos;
        this.lastNowNanos = firstNowNanos;
    }

    /** The delay until the next run, in nanoseconds, given the clock at the end of this one. */
    final long nextDelayNanos(long nowNanos) {
        final long tolerance = Scheduler.clockDriftTolerance();
        final long nextTick;
        if (nowNanos + tolerance < lastNowNanos || nowNanos >= lastNowNanos + periodNanos + tolerance) {
            nextTick = nowNanos + periodNanos;
            startNanos = nextTick - periodNanos * ++count;
        } else {
            nextTick = startNanos + ++count * periodNanos;
        }
        lastNowNanos = nowNanos;
        return nextTick - nowNanos;
    }
}
