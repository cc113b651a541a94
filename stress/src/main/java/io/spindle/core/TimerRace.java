package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * The timer driver's lost wake-up race, at the level of {@link Timers}' two protocol halves: a
 * scheduler inserting a task and deciding whether to wake the driver, against the driver
 * deciding how long to sleep.
 *
 * <p>Start: the driver last announced it would wake at tick {@value #EARLIER_WAKE} (so a task
 * due later needs no wake-up from its scheduler) and is now awake, in the middle of a turn. The
 * scheduler inserts a task due after that tick, as {@link Timers#schedule} does, and asks
 * {@link Timers#driverSleepsPast}. The driver looks at every shard (the turn's advance), then
 * announces its sleep with {@link Timers#announceSleepUntil}. The task is safe if the scheduler
 * decided to wake the driver or the driver saw the task, in its first look or its re-check.
 */
final class TimerRace {

    static final long EARLIER_WAKE = 1;

    final Timers timers = new Timers(null, "stress", 2);
    private final ScheduledTask<Void> task;

    TimerRace() {
        timers.announceSleepUntil(EARLIER_WAKE);
        task = new ScheduledTask<>(timers.shardFor(null), (Runnable) () -> {}, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }

    /** The scheduler: insert, then decide. True if it wakes the driver. */
    boolean scheduleAndDecide() {
        final long tick = task.shard.insert(task);
        return tick >= 0 && timers.driverSleepsPast(tick);
    }

    /** The driver's turn: true if it will wake no later than the task's tick. */
    boolean lookThenSleep() {
        final long next = firstLook();
        return !timers.announceSleepUntil(next) || next != Long.MAX_VALUE;
    }

    /**
     * The driver's turn without the re-check: it stores the tick it will sleep until and parks.
     * True if it will wake no later than the task's tick.
     */
    boolean lookThenSleepWithoutRecheck() {
        final long next = firstLook();
        WAKE_TICK.setVolatile(timers, next);
        return next != Long.MAX_VALUE;
    }

    private long firstLook() {
        return timers.shardFor(null).nextExpiration();
    }

    private static final VarHandle WAKE_TICK;

    static {
        try {
            WAKE_TICK = MethodHandles.privateLookupIn(Timers.class, MethodHandles.lookup()).findVarHandle(Timers.class, "wakeTick", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
