package io.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The wheel alone, single-threaded, against a model: a map of pending tasks and their ticks.
 * Every task is handed over exactly once, at the first advance that reaches its tick and never
 * before; removed tasks never come out; {@code nextExpiration()} never lies in the past of a
 * pending task, so a driver sleeping until it can never oversleep.
 */
class TimerWheelTest {

    /** Tick 0 starts at nanoTime 0, so a deadline of {@code t * TICK_NANOS} is due at tick t. */
    private final TimerWheel wheel = new TimerWheel(0);

    private static ScheduledTask<Void> taskDueAt(long tick) {
        return new ScheduledTask<>(null, (Runnable) () -> {}, tick * TimerWheel.TICK_NANOS);
    }

    @Test
    void deadlinesRoundUpToTheNextTickAndTheCurrentTickRoundsDown() {
        assertThat(wheel.tickOf(1)).isEqualTo(1);
        assertThat(wheel.tickOf(TimerWheel.TICK_NANOS)).isEqualTo(1);
        assertThat(wheel.tickOf(TimerWheel.TICK_NANOS + 1)).isEqualTo(2);
        assertThat(wheel.tickOf(-5)).isZero();
        assertThat(wheel.currentTick(TimerWheel.TICK_NANOS - 1)).isZero();
        assertThat(wheel.currentTick(TimerWheel.TICK_NANOS)).isEqualTo(1);
    }

    @Test
    void aTaskDueNowIsNotInsertedButHandedBack() {
        assertThat(wheel.insert(taskDueAt(0))).isFalse();
        assertThat(wheel.size()).isZero();
        wheel.advance(10, task -> {});
        assertThat(wheel.insert(taskDueAt(10))).isFalse();
        assertThat(wheel.insert(taskDueAt(11))).isTrue();
    }

    @Test
    void tasksAtEveryLevelFireAtTheirTickAndNotBefore() {
        final long[] ticks = {1, 63, 64, 65, 4095, 4096, 4097, 262_143, 262_144, 16_777_216, 1L << 30, (1L << 36) - 1, 1L << 36, 1L << 40};
        final Map<ScheduledTask<?>, Long> due = new HashMap<>();
        for (long tick : ticks) {
            final ScheduledTask<Void> task = taskDueAt(tick);
            assertThat(wheel.insert(task)).isTrue();
            due.put(task, tick);
        }
        for (long tick : ticks) {
            assertThat(wheel.nextExpiration()).as("next expiration before tick %d", tick).isLessThanOrEqualTo(tick);
            final List<ScheduledTask<?>> early = new ArrayList<>();
            wheel.advance(tick - 1, early::add);
            assertThat(early).as("fired before tick %d", tick).isEmpty();
            final List<ScheduledTask<?>> fired = new ArrayList<>();
            wheel.advance(tick, fired::add);
            assertThat(fired).hasSize(1);
            assertThat(due.get(fired.get(0))).isEqualTo(tick);
        }
        assertThat(wheel.size()).isZero();
        assertThat(wheel.nextExpiration()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void randomInsertsRemovesAndAdvancesMatchTheModel() {
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 20; round++) {
            runAgainstModel(new TimerWheel(0), random.split(), 20_000);
        }
    }

    private static void runAgainstModel(TimerWheel wheel, SplittableRandom random, int steps) {
        final Map<ScheduledTask<?>, Long> pending = new HashMap<>();
        final List<ScheduledTask<?>> handles = new ArrayList<>();
        long now = 0;
        for (int step = 0; step < steps; step++) {
            final int action = random.nextInt(10);
            if (action < 5) {
                final long tick = now + 1 + randomDistance(random);
                final ScheduledTask<Void> task = taskDueAt(tick);
                assertThat(wheel.insert(task)).isTrue();
                pending.put(task, tick);
                handles.add(task);
            } else if (action < 7 && !handles.isEmpty()) {
                final ScheduledTask<?> task = handles.remove(random.nextInt(handles.size()));
                if (pending.remove(task) != null) {
                    wheel.remove(task);
                }
            } else {
                final long next = wheel.nextExpiration();
                final long earliest = pending.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
                assertThat(next).as("next expiration vs the earliest pending tick").isLessThanOrEqualTo(earliest);
                final long target = random.nextBoolean() && next != Long.MAX_VALUE ? Math.max(now, next) : now + randomStep(random);
                final long reached = target;
                wheel.advance(reached, task -> {
                    final Long tick = pending.remove(task);
                    assertThat(tick).as("a task handed over twice or after removal").isNotNull();
                    assertThat(tick).as("handed over before its tick").isLessThanOrEqualTo(reached);
                });
                now = reached;
                for (long tick : pending.values()) {
                    assertThat(tick).as("a due task was left in the wheel at %d", reached).isGreaterThan(reached);
                }
            }
            assertThat(wheel.size()).isEqualTo(pending.size());
        }
    }

    /**
     * How far time jumps when it does not jump to the next expiration: mostly a few ticks,
     * rarely up to a whole span. Kept so that ticks stay far below the 2^63 ns a real
     * {@code nanoTime} difference can reach (real ticks stay below 2^43 for a century).
     */
    private static long randomStep(SplittableRandom random) {
        return random.nextInt(100) == 0 ? random.nextLong(TimerWheel.SPAN) : random.nextLong(300);
    }

    /** Mostly near (level 0-2), sometimes far (every level), rarely beyond the wheel's span. */
    private static long randomDistance(SplittableRandom random) {
        final int kind = random.nextInt(100);
        if (kind < 60) {
            return random.nextLong(200);
        }
        if (kind < 97) {
            return random.nextLong(1L << random.nextInt(1, 36));
        }
        return random.nextLong(1L << 36, 1L << 40);
    }
}
