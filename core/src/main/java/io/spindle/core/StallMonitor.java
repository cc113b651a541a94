package io.spindle.core;

import java.util.concurrent.locks.LockSupport;

/**
 * The thread that drives a pool's {@link StallDetector}: a daemon named {@code <pool>-monitor},
 * started only when stall detection is on. A thin shell around {@link StallDetector#check}: call
 * it, sleep until the time it returns, repeat; exit once the pool has terminated.
 *
 * <h2>Costing nothing when idle</h2>
 * When {@code check} says every worker is parked, the thread parks with no timeout. The
 * transition from all workers parked to one awake happens in {@link Idle}, always as an atomic
 * read-modify-write of its state word, and Idle then calls {@link #firstWorkerUnparked()}. The
 * two sides are a Dekker pair over volatile accesses, which are totally ordered:
 * <pre>
 *   monitor: waiting = true (volatile store); read Idle's word; park only if no worker is awake
 *   waker:   RMW of Idle's word (one worker awake); read waiting; if set, clear it and unpark
 * </pre>
 * Either the waker sees {@code waiting} and unparks (a permit that makes a later park return at
 * once), or the monitor's read comes after the waker's update and it does not park. An idle
 * pool therefore has no timed wake-ups at all, and a busy one wakes this thread
 * {@value StallDetector#LOOKS_PER_THRESHOLD} times per threshold.
 *
 * <h2>Fields</h2>
 * {@code waiting}: volatile; set by the monitor before it parks untimed, cleared by whichever of
 * the monitor and a waker gets there (both clearing is harmless). {@code thread}: final.
 */
final class StallMonitor implements Runnable {

    private final WorkStealingPool pool;
    private final StallDetector detector;
    private final Thread thread;
    private volatile boolean waiting;

    StallMonitor(WorkStealingPool pool, StallDetector detector) {
        this.pool = pool;
        this.detector = detector;
        this.thread = new Thread(this, pool.name() + "-monitor");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Called by {@link Idle} when a worker becomes awake while all were parked. Any thread. */
    void firstWorkerUnparked() {
        if (waiting) {
            waiting = false;
            LockSupport.unpark(thread);
        }
    }

    /** Called once the pool has terminated: the thread wakes and exits. */
    void poolTerminated() {
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (!pool.isTerminated()) {
            final long now = System.nanoTime();
            final long next = detector.check(now);
            if (next != Long.MAX_VALUE) {
                LockSupport.parkNanos(this, next - now);
                continue;
            }
            waiting = true;
            if (pool.idle.unparkedNow() == 0 && !pool.isTerminated()) {
                LockSupport.park(this);
            }
            waiting = false;
        }
    }

    Thread thread() {
        return thread;
    }
}
