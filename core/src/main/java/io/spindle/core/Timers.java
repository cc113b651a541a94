package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The pool's timers: the {@link TimerShard}s that hold waiting tasks, and the driver, a
 * dedicated thread that sleeps until the earliest deadline and hands every task due by then to
 * the workers as one batch.
 *
 * <p>The driver thread is the pool's own daemon thread named {@code <pool name>-timer}, not one
 * from the pool's thread factory: it runs no user code (due tasks run on the workers), it must
 * not hold the JVM open by itself, and a factory sized or named for the workers (Reactor's
 * {@code parallel-N}) should see exactly the workers it was asked for.
 *
 * <h2>Why a dedicated driver thread</h2>
 * Tokio lets a parked worker drive the timer (it parks with the next deadline as timeout). We
 * give the job to a thread of its own, for three reasons.
 * <ul>
 *   <li>Timeouts matter most when workers are stuck. A worker-driven timer fires late exactly
 *       when every worker is busy or blocked, which is when a {@code timeout()} should fire;
 *       the driver fires on time whatever the workers do.
 *   <li>The workers' park protocol ({@link Idle}, {@link Worker}) stays as it is and as its
 *       stress tests prove it: no worker needs a timed park, no "who holds the driver" hand-off.
 *   <li>The cost is one mostly-parked thread per pool and, per tick that fires, one extra
 *       {@code unpark} (the driver's wake-up of a worker), shared by every task due in that
 *       tick. A worker-driven timer saves that wake-up only when a worker was parked anyway.
 * </ul>
 * An idle pool does not tick: with no timer pending the driver parks with no timeout; with one
 * pending it wakes once, at the start of that timer's tick.
 *
 * <h2>The wake-up protocol</h2>
 * <pre>
 *  wakeTick ── volatile: the tick the driver will wake at (Long.MAX_VALUE: no timeout).
 *              Stored by the driver before it parks; lowered by CAS by a scheduler whose task
 *              is due earlier, before it unparks the driver.
 *  scheduler: insert under the shard's lock; then read wakeTick; if the new task's tick is
 *             earlier, lower wakeTick to it and unpark the driver.
 *  driver:    advance every shard; write wakeTick = the earliest next expiration; then look
 *             at every shard's next expiration again, under its lock; if one is earlier,
 *             start over, else park until wakeTick.
 * </pre>
 * If the driver's second look at a shard came after a scheduler's insert into it, the driver
 * sees the task. Otherwise the driver's write of {@code wakeTick} happened before its unlock of
 * that shard, which happened before the scheduler's lock of it, so the scheduler reads the new
 * {@code wakeTick} and unparks the driver. An {@code unpark} that lands before the driver parks
 * is kept by {@link LockSupport} as a permit. Either way no task waits past its tick.
 *
 * <p>Cancelling a task never wakes the driver: if the cancelled task was the earliest, the
 * driver wakes once at its tick, finds nothing and sleeps until the next one. The driver also
 * keeps a tick a scheduler lowered {@code wakeTick} to, even when it finds that task already
 * cancelled: otherwise, in the {@code timeout()} pattern (schedule, then cancel a moment
 * later), the driver would find an empty wheel, park with no timeout, and be woken by the very
 * next schedule, one {@code unpark} per element. With it, a stream of 10 s timeouts wakes the
 * driver about once per 10 s. A driver that overwrites a lowered tick with its own store has
 * been unparked by that scheduler, so it looks again at once.
 *
 * <h2>Shutdown</h2>
 * {@link #shutdown()} closes every shard (no new timers), cancels the periodic tasks they hold
 * and wakes the driver; the one-shot tasks still fire when due. {@link #shutdownNow()} closes
 * the shards and takes every task out. Once the pool is shut down and every shard is closed
 * and empty, the driver marks the timers {@link #isDrained() drained}, which is what lets the
 * workers exit, wakes them, and ends.
 */
final class Timers implements Runnable {

    /** At most this many shards: enough for the pool's biggest sensible worker count. */
    static final int MAX_SHARDS = 64;

    /**
     * The shard choice of a thread that is not a worker: its index into any pool's shards
     * (masked), starting from a hash of the thread id and moved, LongAdder-style, when the
     * thread finds its shard's lock held, so that threads that collide drift apart and then
     * stay apart. Only the owning thread reads or writes it.
     */
    private static final ThreadLocal<int[]> PROBE =
            ThreadLocal.withInitial(() -> new int[] {Long.hashCode(Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) | 1});

    final WorkStealingPool pool;
    private final TimerShard[] shards;
    private final int shardMask;
    private final TimerBatch batch = new TimerBatch();
    /** The driver's thread, started with the pool. */
    private final Thread driver;
    /** See the class comment. */
    private volatile long wakeTick = Long.MAX_VALUE;
    /** False until the pool is shut down and every timer has fired or been taken back. */
    private volatile boolean drained;

    Timers(WorkStealingPool pool, String poolName, int workers) {
        this.pool = pool;
        // Twice the workers (a power of two): one shard per worker, and as many again for
        // outside threads.
        final int count = Math.min(MAX_SHARDS, 2 * Integer.highestOneBit(Math.max(2, workers) * 2 - 1));
        this.shards = new TimerShard[count];
        this.shardMask = count - 1;
        final long origin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            shards[i] = new TimerShard(this, origin);
        }
        this.driver = new Thread(this, poolName + "-timer");
        driver.setDaemon(true);
    }

    /** The driver thread, for tests and diagnostics. */
    Thread driver() {
        return driver;
    }

    void startDriver() {
        driver.start();
    }

    /**
     * Waits for the driver thread to end, which it does right after it marked the timers
     * drained; called by the last worker to exit, so that a terminated pool has no thread left.
     */
    void awaitDriverExit() {
        if (driver.getState() == Thread.State.NEW || driver == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (driver.isAlive()) {
            try {
                driver.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The shard for tasks scheduled from {@code worker}, or from the current thread if null: a
     * worker's own, else the thread's probe's. A thread whose shard is locked right now (an
     * opaque read: a hint for spreading load, never a decision anything depends on) moves its
     * probe, and so its later timers, to another shard.
     */
    TimerShard shardFor(Worker worker) {
        if (worker != null) {
            return shards[worker.index & shardMask];
        }
        final int[] probe = PROBE.get();
        final TimerShard shard = shards[probe[0] & shardMask];
        if (!shard.isLockedNow()) {
            return shard;
        }
        int x = probe[0];
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        probe[0] = x;
        return shards[x & shardMask];
    }

    /**
     * Puts a task into its shard's wheel and makes sure the driver wakes for it.
     *
     * @return the tick it is due at, or {@link TimerShard#DUE} (not added: the caller must run
     *     it now) or {@link TimerShard#CLOSED} (not added: the pool is shutting down)
     */
    long schedule(ScheduledTask<?> task) {
        final long tick = task.shard.insert(task);
        if (tick >= 0 && driverSleepsPast(tick)) {
            LockSupport.unpark(driver);
        }
        return tick;
    }

    /**
     * The scheduler's half of the wake-up protocol, after its insert: must it wake the driver?
     * If so, it also lowers {@code wakeTick} to {@code tick} first, so that the driver sleeps
     * until that tick even if the task is cancelled before the driver looks (see the class
     * comment: this keeps a schedule-then-cancel stream from waking the driver every time).
     */
    boolean driverSleepsPast(long tick) {
        long current = wakeTick;
        while (tick < current) {
            final long witness = (long) WAKE_TICK.compareAndExchange(this, current, tick);
            if (witness == current) {
                return true;
            }
            current = witness;
        }
        return false;
    }

    /**
     * The driver's half of the wake-up protocol: announces that it will sleep until
     * {@code next}, then looks at every shard again.
     *
     * @return true if it may sleep until {@code next}; false if a shard now needs it sooner
     */
    boolean announceSleepUntil(long next) {
        wakeTick = next;
        for (TimerShard shard : shards) {
            if (shard.nextExpiration() < next) {
                return false;
            }
        }
        return true;
    }

    /** Schedules the next run of a periodic task, from the worker that just ran it. */
    void reschedule(PeriodicTask task) {
        final long tick = schedule(task);
        if (tick == TimerShard.DUE) {
            pool.executeInternal(task);
        } else if (tick == TimerShard.CLOSED) {
            task.cancel(false);
        }
    }

    /** Tasks waiting in the wheels; a sum of opaque reads, not a snapshot. */
    long pending() {
        long total = 0;
        for (TimerShard shard : shards) {
            total += shard.size();
        }
        return total;
    }

    /** Batches of due tasks the driver has spliced into the inject queue; any thread. */
    long spliceCount() {
        return batch.spliceCount();
    }

    /** Tasks those batches carried; any thread. */
    long splicedTaskCount() {
        return batch.splicedTaskCount();
    }

    boolean isDrained() {
        return drained;
    }

    /** No new timers; periodic ones are cancelled, one-shot ones still fire when due. */
    void shutdown() {
        final List<ScheduledTask<?>> periodic = new ArrayList<>();
        for (TimerShard shard : shards) {
            shard.close(periodic);
        }
        for (ScheduledTask<?> task : periodic) {
            task.cancel(false);
        }
        LockSupport.unpark(driver);
    }

    /**
     * No new timers, and every waiting one is taken out.
     *
     * @return the tasks that were waiting, not cancelled; they never run unless the caller runs
     *     them
     */
    List<ScheduledTask<?>> shutdownNow() {
        final List<ScheduledTask<?>> waiting = new ArrayList<>();
        for (TimerShard shard : shards) {
            shard.closeAndDrain(waiting);
        }
        LockSupport.unpark(driver);
        return waiting;
    }

    // ---------------------------------------------------------------- the driver

    /** The driver thread's body. */
    @Override
    public void run() {
        while (turn()) {
            // Each turn fires what is due and sleeps until the next deadline.
        }
    }

    /** One wake-up of the driver. Returns false once the timers are drained. */
    private boolean turn() {
        // Nobody has a reason to interrupt the driver; if somebody does, the flag must not turn
        // every park below into a spin.
        Thread.interrupted();
        try {
            final long now = System.nanoTime();
            long next = Long.MAX_VALUE;
            for (TimerShard shard : shards) {
                next = Math.min(next, shard.advance(now, batch));
            }
            // A tick a scheduler asked for stands even if its task was cancelled meanwhile.
            final long requested = wakeTick;
            if (requested < next && requested > shards[0].currentTick(now)) {
                next = requested;
            }
            batch.flushTo(pool);
            if (pool.isShutdown() && allClosedAndEmpty()) {
                drained = true;
                pool.timersDrained();
                return false;
            }
            if (!announceSleepUntil(next)) {
                return true;
            }
            if (next == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                final long sleep = shards[0].startOf(next) - System.nanoTime();
                if (sleep > 0) {
                    LockSupport.parkNanos(this, sleep);
                }
            }
        } catch (Throwable error) {
            // Only Spindle's own code runs here; an error (out of memory, most likely) must not
            // end the thread every timer depends on. Report it and carry on.
            reportUncaught(error);
        }
        return true;
    }

    private boolean allClosedAndEmpty() {
        for (TimerShard shard : shards) {
            if (!shard.isClosedAndEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static final VarHandle WAKE_TICK;

    static {
        try {
            WAKE_TICK = MethodHandles.lookup().findVarHandle(Timers.class, "wakeTick", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static void reportUncaught(Throwable error) {
        final Thread current = Thread.currentThread();
        try {
            current.getUncaughtExceptionHandler().uncaughtException(current, error);
        } catch (Throwable ignored) {
            // Nothing left to report to.
        }
    }

    @Override
    public String toString() {
        return driver.getName() + "[pending=" + pending() + ", drained=" + drained + "]";
    }
}
