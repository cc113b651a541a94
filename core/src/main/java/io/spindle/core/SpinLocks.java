package io.spindle.core;

import java.lang.invoke.VarHandle;

/**
 * The slow path shared by Spindle's short spin locks (the inject queue's and each timer shard's).
 *
 * <p>Each lock is an {@code int} field, 0 free and 1 held, reached through the owner's own
 * {@link VarHandle}: taken with an acquire CAS (the owner's inlined fast path tries it once
 * before calling here), given back with a release store. Everything written inside a critical
 * section therefore happens-before the next holder's entry.
 *
 * <p>A waiter tests before it tries (it reads the shared line instead of bouncing it), spins
 * with {@link Thread#onSpinWait()}, and after {@value #SPINS_BEFORE_YIELD} failed tries yields
 * its time slice, so that a holder preempted on a machine with more runnable threads than cores
 * can finish. It never parks and never allocates: the locks are taken by submitters on
 * non-blocking threads.
 */
final class SpinLocks {

    /**
     * Failed tries spent spinning before a waiter starts yielding its time slice. Critical
     * sections take tens of nanoseconds, so a waiter that has spun this long is almost certainly
     * behind a holder that lost its CPU.
     */
    static final int SPINS_BEFORE_YIELD = 64;

    private SpinLocks() {}

    /**
     * Waits for the lock at {@code lock} in {@code holder} and takes it.
     *
     * @param lock the owner's handle on its {@code int} lock field
     * @param holder the object holding the field
     */
    static void lockContended(VarHandle lock, Object holder) {
        int spins = 0;
        for (;;) {
            if ((int) lock.getOpaque(holder) == 0 && lock.weakCompareAndSetAcquire(holder, 0, 1)) {
                return;
            }
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
