package io.spindle.rxjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivex.rxjava3.core.Scheduler;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The periodic tasks' fixed-rate arithmetic, with a clock the test drives: RxJava's
 * {@code PeriodicTask} rules (run n due at start + n × period; rebase on a clock jump beyond
 * {@link Scheduler#clockDriftTolerance()}), which {@code SchedulerWorkerTest.currentTimeDrift*}
 * checks in RxJava with a scheduler that overrides {@code now()}; ours is final, so the rules
 * are pinned here.
 */
class FixedRateTest {

    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long TOLERANCE = Scheduler.clockDriftTolerance();

    private static final class Rate extends FixedRate {
        Rate(long now, long initialDelay, long period) {
            super(now, initialDelay, period);
        }
    }

    @Test
    void lateRunsDoNotPushTheScheduleBack() {
        final Rate rate = new Rate(0, 0, PERIOD);
        assertThat(rate.nextDelayNanos(30)).isEqualTo(PERIOD - 30);
        assertThat(rate.nextDelayNanos(PERIOD + 70)).isEqualTo(2 * PERIOD - (PERIOD + 70));
        assertThat(rate.nextDelayNanos(3 * PERIOD + 10)).as("a run that fell due meanwhile runs at once").isNegative();
    }

    @Test
    void initialDelayShiftsTheWholeSchedule() {
        final Rate rate = new Rate(1_000, 500, PERIOD);
        assertThat(rate.nextDelayNanos(1_500)).isEqualTo(PERIOD);
    }

    @Test
    void clockJumpForwardBeyondToleranceRebases() {
        final Rate rate = new Rate(0, 0, PERIOD);
        final long jumped = PERIOD + TOLERANCE + 1;
        assertThat(rate.nextDelayNanos(jumped)).isEqualTo(PERIOD);
        assertThat(rate.nextDelayNanos(jumped + PERIOD)).isEqualTo(PERIOD);
    }

    @Test
    void clockJumpBackwardBeyondToleranceRebases() {
        final long start = 2 * TOLERANCE;
        final Rate rate = new Rate(start, 0, PERIOD);
        assertThat(rate.nextDelayNanos(start + 10)).isEqualTo(PERIOD - 10);
        final long jumped = start + 10 - TOLERANCE - 1;
        assertThat(rate.nextDelayNanos(jumped)).isEqualTo(PERIOD);
        assertThat(rate.nextDelayNanos(jumped + PERIOD)).isEqualTo(PERIOD);
    }

    @Test
    void zeroPeriodRepeatsWithoutDelay() {
        final Rate rate = new Rate(0, 0, 0);
        assertThat(rate.nextDelayNanos(5)).isNotPositive();
        assertThat(rate.nextDelayNanos(10)).isNotPositive();
    }
}
