package io.spindle.core;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A hierarchical timing wheel after Varghese and Lauck, laid out as Tokio's {@code time/wheel}:
 * {@value #LEVELS} levels of {@value #SLOTS} slots, one tick per slot at level 0 and
 * {@code 64^level} ticks per slot above. Not thread-safe: each {@link TimerShard} guards its
 * wheel with its lock.
 *
 * <h2>Where a task goes</h2>
 * Ticks count from the pool's start ({@link #tickOf}). A task due at tick {@code when} goes to
 * the lowest level whose current slot range it shares with {@code elapsed} (the last tick the
 * wheel has been advanced to): level {@code L} is the highest {@code 6}-bit group in which
 * {@code when} and {@code elapsed} differ, and the slot is {@code when}'s digit at that level.
 * So a level only ever holds tasks in slots after its current one, the lowest non-empty level
 * holds the earliest task, and finding the next expiration is a trailing-zero count on that
 * level's occupancy bitmap: O(1). Inserting and removing link or unlink one node of a doubly
 * linked slot list: O(1), with no allocation.
 *
 * <h2>Advancing</h2>
 * {@link #advance} visits the occupied slots in time order up to {@code now}. A level-0 slot
 * holds tasks due at exactly its tick: they are handed to the caller. A slot above holds tasks
 * due somewhere in its range: they are re-inserted (cascaded) relative to the slot's start,
 * which puts each one level lower or, when due, hands it over.
 *
 * <h2>Beyond the levels</h2>
 * The levels cover {@link #SPAN} ticks (2<sup>36</sup> ms, about 795 days), aligned. A task due
 * outside the aligned span that holds {@code elapsed} waits in an unsorted overflow list, which
 * is looked at only when the levels are empty and time reaches the next span: it is re-inserted
 * from there. Delays that long are rare, so the list stays short.
 */
final class TimerWheel {

    /** A task's {@link ScheduledTask#slot} when it is in no wheel. */
    static final int NOT_IN_WHEEL = -1;
    static final int SLOT_BITS = 6;
    /** Tokio's {@code LEVEL_MULT}. */
    static final int SLOTS = 1 << SLOT_BITS;
    /** Tokio's {@code NUM_LEVELS}. */
    static final int LEVELS = 6;
    /** Ticks covered by the levels: Tokio's {@code MAX_DURATION}, 2^36. */
    static final long SPAN = 1L << (SLOT_BITS * LEVELS);
    /** The resolution: one tick, in nanoseconds. */
    static final long TICK_NANOS = 1_000_000;

    private static final int OVERFLOW = LEVELS * SLOTS;

    /** The first task of every slot, then the overflow list's. */
    private final ScheduledTask<?>[] heads = new ScheduledTask<?>[LEVELS * SLOTS + 1];
    /** Per level, bit {@code s} set when slot {@code s} is not empty. */
    private final long[] occupied = new long[LEVELS];
    /** {@link System#nanoTime()} at tick 0. */
    private final long origin;
    /** Every tick up to and including this one has been handed over. */
    private long elapsed;
    private int size;

    TimerWheel(long origin) {
        this.origin = origin;
    }

    /**
     * The tick at which a deadline is due: rounded up, so a task never runs before its
     * deadline.
     */
    long tickOf(long deadline) {
        final long sinceOrigin = deadline - origin;
        return sinceOrigin <= 0 ? 0 : (sinceOrigin - 1) / TICK_NANOS + 1;
    }

    /** The tick {@code now} falls in: rounded down, so a due tick has fully begun. */
    long currentTick(long now) {
        final long sinceOrigin = now - origin;
        return sinceOrigin <= 0 ? 0 : sinceOrigin / TICK_NANOS;
    }

    /** The {@link System#nanoTime()} value at which {@code tick} begins. */
    long startOf(long tick) {
        return origin + tick * TICK_NANOS;
    }

    long elapsed() {
        return elapsed;
    }

    int size() {
        return size;
    }

    /**
     * Adds a task that is in no wheel.
     *
     * @return false if the task is already due (its tick is not after {@link #elapsed()}); it
     *     was not added and the caller must run it
     */
    boolean insert(ScheduledTask<?> task) {
        final long when = tickOf(task.deadline());
        if (when <= elapsed) {
            return false;
        }
        link(task, slotFor(when));
        size++;
        return true;
    }

    /** Removes a task that is in this wheel. */
    void remove(ScheduledTask<?> task) {
        unlink(task);
        size--;
    }

    /**
     * The tick of the next slot {@link #advance} will visit: the earliest due task's tick, or
     * the start of the slot or span that holds it; {@link Long#MAX_VALUE} when empty.
     */
    long nextExpiration() {
        final int level = lowestOccupiedLevel();
        return level < 0 ? Long.MAX_VALUE : expirationOf(level);
    }

    /**
     * Advances the wheel to {@code now}, handing every task due by then to {@code due}, in tick
     * order. Tasks leave the wheel before they are handed over.
     */
    void advance(long now, Consumer<ScheduledTask<?>> due) {
        for (;;) {
            final int level = lowestOccupiedLevel();
            if (level < 0) {
                break;
            }
            final long expiration = expirationOf(level);
            if (expiration > now) {
                break;
            }
            elapsed = expiration;
            final int slot = level == LEVELS ? OVERFLOW
                    : level * SLOTS + Long.numberOfTrailingZeros(occupied[level]);
            ScheduledTask<?> task = heads[slot];
            heads[slot] = null;
            if (slot != OVERFLOW) {
                occupied[level] &= ~(1L << (slot & (SLOTS - 1)));
            }
            while (task != null) {
                final ScheduledTask<?> next = (ScheduledTask<?>) task.next;
                task.next = null;
                task.prev = null;
                task.slot = NOT_IN_WHEEL;
                size--;
                if (!insert(task)) {
                    due.accept(task);
                }
                task = next;
            }
        }
        if (now > elapsed) {
            elapsed = now;
        }
    }

    /** Takes every task out of the wheel, handing each to {@code sink}. */
    void drain(Consumer<ScheduledTask<?>> sink) {
        for (int slot = 0; slot < heads.length; slot++) {
            ScheduledTask<?> task = heads[slot];
            heads[slot] = null;
            while (task != null) {
                final ScheduledTask<?> next = (ScheduledTask<?>) task.next;
                task.next = null;
                task.prev = null;
                task.slot = NOT_IN_WHEEL;
                sink.accept(task);
                task = next;
            }
        }
        Arrays.fill(occupied, 0);
        size = 0;
    }

    /** Hands every task in the wheel to {@code visitor}, leaving them in place. */
    void forEach(Consumer<ScheduledTask<?>> visitor) {
        for (ScheduledTask<?> head : heads) {
            for (ScheduledTask<?> task = head; task != null; task = (ScheduledTask<?>) task.next) {
                visitor.accept(task);
            }
        }
    }

    /** The lowest level with a task, {@link #LEVELS} for the overflow list, -1 for none. */
    private int lowestOccupiedLevel() {
        final long[] occupied = this.occupied;
        for (int level = 0; level < LEVELS; level++) {
            if (occupied[level] != 0) {
                return level;
            }
        }
        return heads[OVERFLOW] != null ? LEVELS : -1;
    }

    /** The tick at which the first occupied slot of {@code level} (not empty) begins. */
    private long expirationOf(int level) {
        if (level == LEVELS) {
            return (elapsed | (SPAN - 1)) + 1;
        }
        final int shift = level * SLOT_BITS;
        final long levelStart = elapsed & -(1L << (shift + SLOT_BITS));
        return levelStart + ((long) Long.numberOfTrailingZeros(occupied[level]) << shift);
    }

    private int slotFor(long when) {
        final long differing = (elapsed ^ when) | (SLOTS - 1);
        final int level = (63 - Long.numberOfLeadingZeros(differing)) / SLOT_BITS;
        if (level >= LEVELS) {
            return OVERFLOW;
        }
        return level * SLOTS + (int) ((when >>> (level * SLOT_BITS)) & (SLOTS - 1));
    }

    private void link(ScheduledTask<?> task, int slot) {
        final ScheduledTask<?> head = heads[slot];
        task.prev = null;
        task.next = head;
        if (head != null) {
            head.prev = task;
        }
        heads[slot] = task;
        task.slot = slot;
        if (slot != OVERFLOW) {
            occupied[slot >>> SLOT_BITS] |= 1L << (slot & (SLOTS - 1));
        }
    }

    private void unlink(ScheduledTask<?> task) {
        final int slot = task.slot;
        final ScheduledTask<?> prev = task.prev;
        final ScheduledTask<?> next = (ScheduledTask<?>) task.next;
        if (prev == null) {
            heads[slot] = next;
        } else {
            prev.next = next;
        }
        if (next != null) {
            next.prev = prev;
        }
        task.next = null;
        task.prev = null;
        task.slot = NOT_IN_WHEEL;
        if (heads[slot] == null && slot != OVERFLOW) {
            occupied[slot >>> SLOT_BITS] &= ~(1L << (slot & (SLOTS - 1)));
        }
    }
}
