package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * One lock and one {@link TimerWheel}: a slice of the pool's timers.
 *
 * <p>The pool keeps several shards so that threads scheduling and cancelling timers at the same
 * time (the {@code timeout()} pattern: one schedule and one cancel per element) mostly take
 * different locks. A worker uses the shard of its index, any other thread a shard of its own
 * that it moves away from when it finds it busy ({@link Timers#shardFor}); a task stays in the
 * shard it was created for (a final field) for its whole life, so that
 * {@link ScheduledTask#cancel} knows which lock to take without reading anything racy.
 *
 * <h2>Protocol</h2>
 * <pre>
 *  lock   ── the short spin lock of {@link SpinLocks}: acquire CAS, release store.
 *  wheel, closed, every held task's wheel links
 *         ── plain, read and written only under the lock.
 *  size   ── the wheel's size, written under the lock as an opaque store after every change,
 *            read anywhere with an opaque load: a statistic (pending timers) that orders
 *            nothing. Decisions that need the exact size (has the pool drained its timers?)
 *            take the lock instead.
 * </pre>
 * Once {@code closed} (at shutdown) the shard accepts no task; it keeps the ones it holds.
 */
final class TimerShard extends TimerShardPadAfter {

    /** {@link #insert}: the task is already due; it was not added. */
    static final long DUE = -1;
    /** {@link #insert}: the shard is closed; the task was not added. */
    static final long CLOSED = -2;

    final Timers timers;

    TimerShard(Timers timers, long origin) {
        super(new TimerWheel(origin));
        this.timers = timers;
    }

    /**
     * Adds a task that is in no wheel.
     *
     * @return the tick the task is due at, or {@link #DUE} or {@link #CLOSED}
     */
    long insert(ScheduledTask<?> task) {
        lock();
        try {
            if (closed) {
                return CLOSED;
            }
            if (!wheel.insert(task)) {
                return DUE;
            }
            publishSize();
            return wheel.tickOf(task.deadline());
        } finally {
            unlock();
        }
    }

    /** Unlinks a cancelled task if the wheel still holds it: O(1). */
    void remove(ScheduledTask<?> task) {
        lock();
        try {
            if (task.slot != TimerWheel.NOT_IN_WHEEL) {
                wheel.remove(task);
                publishSize();
            }
        } finally {
            unlock();
        }
    }

    /**
     * Advances the wheel to {@code now}, handing due tasks to {@code due}.
     *
     * @return the tick the wheel next needs attention at, {@link Long#MAX_VALUE} if empty
     */
    long advance(long now, TimerBatch due) {
        lock();
        try {
            wheel.advance(wheel.currentTick(now), due);
            publishSize();
            return wheel.nextExpiration();
        } finally {
            unlock();
        }
    }

    /** The tick the wheel next needs attention at, {@link Long#MAX_VALUE} if empty. */
    long nextExpiration() {
        lock();
        try {
            return wheel.nextExpiration();
        } finally {
            unlock();
        }
    }

    /** Stops accepting tasks and adds the periodic ones it holds to {@code periodic}. */
    void close(List<ScheduledTask<?>> periodic) {
        lock();
        try {
            closed = true;
            wheel.forEach(task -> {
                if (task.isPeriodic()) {
                    periodic.add(task);
                }
            });
        } finally {
            unlock();
        }
    }

    /** Stops accepting tasks and takes every task it holds out, into {@code sink}. */
    void closeAndDrain(List<? super ScheduledTask<?>> sink) {
        lock();
        try {
            closed = true;
            wheel.drain(sink::add);
            publishSize();
        } finally {
            unlock();
        }
    }

    /** Whether the shard is closed and holds no task: it never will again. */
    boolean isClosedAndEmpty() {
        lock();
        try {
            return closed && wheel.size() == 0;
        } finally {
            unlock();
        }
    }

    /** Tasks waiting in this shard, read without the lock. */
    int size() {
        return (int) SIZE.getOpaque(this);
    }

    /** The tick {@code now} falls in. */
    long currentTick(long now) {
        return wheel.currentTick(now);
    }

    /** When {@code tick} begins, as a {@link System#nanoTime()} value. */
    long startOf(long tick) {
        return wheel.startOf(tick);
    }

    /** Whether the lock is held at this instant: an opaque read, for load spreading only. */
    boolean isLockedNow() {
        return (int) LOCK.getOpaque(this) != 0;
    }

    private void publishSize() {
        SIZE.setOpaque(this, wheel.size());
    }

    private void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            SpinLocks.lockContended(LOCK, this);
        }
    }

    private void unlock() {
        LOCK.setRelease(this, 0);
    }

    @Override
    public String toString() {
        return "TimerShard[size=" + size() + "]";
    }

    private static final VarHandle LOCK;
    private static final VarHandle SIZE;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOCK = lookup.findVarHandle(TimerShardFields.class, "lock", int.class);
            SIZE = lookup.findVarHandle(TimerShardFields.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

/**
 * Padding before a shard's fields: shards are allocated together, and one shard's lock must
 * not share a cache line with its neighbour's.
 */
abstract class TimerShardPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}

/** A shard's state; see {@link TimerShard} for the access rules. */
abstract class TimerShardFields extends TimerShardPadBefore {
    /** 0 free, 1 held: acquire CAS to take, release store to give back. */
    int lock;
    /** Plain, under the lock. */
    boolean closed;
    /** The wheel's size: opaque store under the lock, opaque load anywhere. */
    int size;
    /** Plain contents, under the lock. */
    final TimerWheel wheel;

    TimerShardFields(TimerWheel wheel) {
        this.wheel = wheel;
    }
}

/** Padding after a shard's fields; see {@code InjectQueuePadAfter} for why a subclass. */
abstract class TimerShardPadAfter extends TimerShardFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;

    TimerShardPadAfter(TimerWheel wheel) {
        super(wheel);
    }
}
