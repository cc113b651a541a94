package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * {@link TimerScheduleVsSleepTest} with the driver's re-check removed: the negative control that
 * shows the re-check is what prevents the lost wake-up. When the driver's first look comes
 * before the insert and the scheduler's read of the wake-up tick comes before the driver's
 * store, nobody acts on the task: {@code false, false}, marked interesting rather than
 * forbidden so the suite passes while showing that it happens.
 */
@JCStressTest
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The scheduler read the new sleep and wakes the driver.")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "The driver saw the task in its only look.")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Both.")
@Outcome(id = "false, false", expect = ACCEPTABLE_INTERESTING, desc = "Lost wake-up, as expected without the re-check.")
@State
public class TimerSleepWithoutRecheckLosesWakeup {

    private final TimerRace race = new TimerRace();

    @Actor
    public void scheduler(ZZ_Result r) {
        r.r1 = race.scheduleAndDecide();
    }

    @Actor
    public void driver(ZZ_Result r) {
        r.r2 = race.lookThenSleepWithoutRecheck();
    }
}
