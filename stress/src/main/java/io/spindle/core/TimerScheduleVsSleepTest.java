package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The timer wake-up protocol (see {@link Timers}): a task scheduled while the driver decides how
 * long to sleep is never slept past. Setup in {@link TimerRace}. Outcome: (the scheduler wakes
 * the driver, the driver saw the task).
 *
 * <p>{@code false, false} would be a timer that never fires: the scheduler read the driver's
 * old, earlier wake-up tick and did not wake it, and the driver then announced a sleep with no
 * timeout having missed the task. The re-check under each shard's lock rules it out: either it
 * comes after the scheduler's insert and sees the task, or the driver's store of the new tick
 * happened before that re-check's unlock, which happened before the scheduler's lock, so the
 * scheduler reads the new tick and wakes the driver. {@link TimerSleepWithoutRecheckLosesWakeup}
 * removes the re-check and shows the lost wake-up.
 */
@JCStressTest
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The scheduler read the new sleep and wakes the driver.")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "The scheduler read the old, earlier wake-up; the driver saw the task.")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Both: a possibly redundant wake-up.")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "Lost wake-up: the driver sleeps past the task and nobody wakes it.")
@State
public class TimerScheduleVsSleepTest {

    private final TimerRace race = new TimerRace();

    @Actor
    public void scheduler(ZZ_Result r) {
        r.r1 = race.scheduleAndDecide();
    }

    @Actor
    public void driver(ZZ_Result r) {
        r.r2 = race.lookThenSleep();
    }
}
