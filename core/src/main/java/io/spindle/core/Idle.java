package io.spindle.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many workers are awake and how many of those are searching for work: Tokio's
 * {@code idle.rs}, one atomic word.
 *
 * <pre>
 *   state = unparked &lt;&lt; 16 | searching        (both &lt;= 32767, hence the pool's worker limit)
 * </pre>
 * Every access is a volatile read or an atomic read-modify-write, so all of them fall in one
 * total order (Java's synchronization order); the wake-up protocol below relies on that, as
 * Tokio relies on SeqCst.
 *
 * <h2>The protocol, with the parking side in {@link Worker} and the waking side in
 * {@link WorkStealingPool#notifyParked()}</h2>
 * <ul>
 *   <li>At most about half the workers search at once ({@link #tryTransitionToSearching}); the
 *       check and the increment are deliberately not atomic together, the bound is loose.
 *   <li>A submitter that made work visible wakes a parked worker only if nobody is searching
 *       and somebody is parked. (A worker pushing onto its own queue when the queue already held
 *       tasks does not even look: the worker told about the earlier tasks steals half of them
 *       and passes the baton on, and the last searcher's re-scan covers the case where nobody
 *       could be told. "Already held" is judged after the push is published, with a fence: a
 *       thief may have emptied the queue in between. See {@link LocalQueue#pushBackOrOverflow}.) It reads the word with a read-modify-write
 *       ({@link #snapshotForNotify}), so that the read is ordered after its queue store in the
 *       same total order that orders the searchers' and parkers' decrements: either it sees
 *       their decrement, or they see its task.
 *   <li>A worker it wakes is counted as unparked and searching by the waker before it runs
 *       ({@link #tryReserveWake}), so a burst of submissions wakes one worker, not one per task:
 *       the rest see a searcher and skip. The woken worker, once it finds work and stops
 *       searching, wakes the next if it was the last searcher ({@link
 *       #transitionFromSearching}). Workers ramp up one by one; no thundering herd.
 *   <li>A worker parks by decrementing unparked (and searching, if it was searching) in one
 *       atomic step ({@link #transitionToParked}). If it was the last searcher, it re-scans
 *       every queue and wakes a worker if it finds anything: a submitter may have skipped the
 *       wake-up because it saw this worker searching.
 * </ul>
 *
 * <h2>The first worker to wake</h2>
 * Every transition that counts a worker as unparked is a read-modify-write that returns the
 * previous state, so the one that takes unparked from 0 to 1 knows it, and calls
 * {@code onFirstUnparked} (the stall detector's wake-up, see {@link StallMonitor}) after its
 * update. A transition to 1 that is undone again ({@link #cancelWake}) may call it spuriously.
 */
final class Idle {

    static final int UNPARKED_UNIT = 1 << 16;
    static final int SEARCHING_MASK = 0xFFFF;
    /** Waking a worker counts it as unparked and searching at once. */
    static final int WAKE_ONE = UNPARKED_UNIT | 1;

    private final AtomicInteger state;
    private final int workers;
    /** Called after a transition from every worker parked to one unparked; null for none. */
    private final Runnable onFirstUnparked;

    Idle(int workers) {
        this(workers, null);
    }

    Idle(int workers, Runnable onFirstUnparked) {
        this.workers = workers;
        this.state = new AtomicInteger(workers << 16);
        this.onFirstUnparked = onFirstUnparked;
    }

    static int unparked(int state) {
        return state >>> 16;
    }

    static int searching(int state) {
        return state & SEARCHING_MASK;
    }

    /** Becomes a searcher unless about half the workers already search. */
    boolean tryTransitionToSearching() {
        final int state = this.state.get();
        if (2 * searching(state) >= workers) {
            return false;
        }
        this.state.getAndIncrement();
        return true;
    }

    /**
     * Stops searching.
     *
     * @return true if this was the last searcher: the caller must then wake another worker if
     *     there is work, since submitters skipped waking while it searched
     */
    boolean transitionFromSearching() {
        return searching(state.getAndDecrement()) == 1;
    }

    /**
     * Counts the calling worker as parked.
     *
     * @return true if it was the last searcher, which must then re-scan every queue
     */
    boolean transitionToParked(boolean searching) {
        final int previous = state.getAndAdd(-(UNPARKED_UNIT + (searching ? 1 : 0)));
        return searching && searching(previous) == 1;
    }

    /** Undoes {@link #transitionToParked} for a worker that left parking by itself. */
    void transitionFromParkedBySelf() {
        unparkedOne(state.getAndAdd(UNPARKED_UNIT));
    }

    /**
     * Reads the state with a read-modify-write that adds nothing, ordering the read after the
     * caller's queue store in the synchronization order (see the class comment).
     */
    int snapshotForNotify() {
        return state.getAndAdd(0);
    }

    /** Whether a submitter seeing {@code state} should wake somebody. */
    boolean shouldWake(int state) {
        return searching(state) == 0 && unparked(state) < workers;
    }

    /**
     * Reserves the right to wake one parked worker, counting it as unparked and searching.
     *
     * @return the state to retry from, or {@code -1} once reserved, or {@code -2} if nobody needs
     *     waking any more
     */
    int tryReserveWake(int expected) {
        if (!shouldWake(expected)) {
            return -2;
        }
        final int witness = state.compareAndExchange(expected, expected + WAKE_ONE);
        if (witness != expected) {
            return witness;
        }
        unparkedOne(expected);
        return -1;
    }

    /** Gives back a reservation that found no parked worker to hand itself to. */
    void cancelWake() {
        state.getAndAdd(-WAKE_ONE);
    }

    /** Counts a worker woken by shutdown, outside the reservation protocol. */
    void countWokenForShutdown() {
        unparkedOne(state.getAndAdd(WAKE_ONE));
    }

    /** After a transition that counted one more worker unparked, from {@code previous}. */
    private void unparkedOne(int previous) {
        if (unparked(previous) == 0 && onFirstUnparked != null) {
            onFirstUnparked.run();
        }
    }

    int searchingNow() {
        return searching(state.get());
    }

    int unparkedNow() {
        return unparked(state.get());
    }

    @Override
    public String toString() {
        final int s = state.get();
        return "Idle[unparked=" + unparked(s) + ", searching=" + searching(s) + "]";
    }
}
