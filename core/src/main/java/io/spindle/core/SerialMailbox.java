package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link SerialWorker}'s mailbox: an intrusive multi-producer, single-consumer FIFO of
 * {@link SerialTask}s (linked through the tasks, no stub node) and the count that decides who
 * drains it. Any thread enqueues; only the thread that owns the drain dequeues, and at most one
 * thread owns it at any time: the one whose enqueue moved the count from 0 to 1, until its
 * {@link #acknowledge} brings the count back to 0.
 *
 * <h2>Protocol</h2>
 * <pre>
 *  tail  ── the newest task, or null when the queue is empty. Producers swap themselves in with
 *           getAndSet (volatile); the consumer empties the queue with a CAS from the task it
 *           takes last to null.
 *  head  ── the oldest task not yet taken, or null. Written by the consumer (plain stores; its
 *           own reads see them) except for one hand-off: a producer whose getAndSet returned
 *           null found the queue empty and the consumer done with it, so it stores head itself,
 *           as a release store. The consumer stores null into head before its CAS of tail to
 *           null, so that store happens-before the hand-off, which can never be overwritten.
 *           The consumer reads head with acquire loads.
 *  next  ── {@code SerialTask.next}: the producer that swapped a task out of tail links its own
 *           task behind it with a release store; the consumer reads it with acquire loads and
 *           clears it (plain) once it has taken the task, so a handle someone keeps does not
 *           keep every later task reachable. No producer writes a task's next after the
 *           consumer can see the task as the last one.
 *  wip   ── the number of tasks enqueued and not yet acknowledged by the consumer. A producer
 *           adds 1 with getAndAdd after its task is linked; the consumer subtracts what it has
 *           taken, with getAndAdd. Both are read-modify-writes of the one word, so they are
 *           totally ordered: no count is lost, and exactly one side sees each 0.
 *  taken ── tasks taken by the batch in progress and not yet acknowledged: the consumer's
 *           opaque stores, read with opaque loads by {@link #queued()}, a statistic.
 * </pre>
 *
 * <h2>The lost wake-up, and why it cannot happen</h2>
 * A drain that runs out of tasks must stop, and a producer that enqueues must get a drain
 * going; if each thinks the other will do it, the task waits forever. Here the producer's
 * {@code getAndAdd(+1)} and the consumer's {@code getAndAdd(-taken)} decide it: if the
 * producer's comes first, the consumer's result is not 0 and it goes on draining (its task is
 * linked: the link comes before the producer's add in program order); if the consumer's comes
 * first, it reaches 0 and stops, and the producer's add returns 0, so the producer starts the
 * next drain. Never both (two drains at once would run tasks concurrently), never neither.
 * {@code SerialMailboxEnqueueVsDrainExitTest} in the stress module checks it, and
 * {@code SerialMailboxExitWithoutRecheckLosesWakeup} shows the lost task of a consumer that
 * stops without looking at its subtraction's result.
 *
 * <p>A count of {@code n} tells the consumer that {@code n} producers have finished linking,
 * not that the first {@code n} tasks in queue order are linked: a producer that swapped tail
 * earlier may still be about to link (or hand off) its task. The consumer then waits for that
 * link, which is two stores away; it spins, then yields its time slice so that a preempted
 * producer can finish (the gap every swap-based MPSC queue has; Vyukov's, JCTools').
 */
abstract class SerialMailbox extends Task {

    /** Spins before a consumer waiting for a link starts yielding (see {@link SpinLocks}). */
    private static final int SPINS_BEFORE_YIELD = SpinLocks.SPINS_BEFORE_YIELD;

    @SuppressWarnings("unused") // accessed through HEAD
    private SerialTask head;
    @SuppressWarnings("unused") // accessed through TAIL
    private SerialTask tail;
    @SuppressWarnings("unused") // accessed through WIP
    private int wip;
    @SuppressWarnings("unused") // accessed through TAKEN
    private int taken;

    /**
     * Links {@code task} at the tail and counts it.
     *
     * @return true if the count was 0: the caller now owns the drain and must get it run
     */
    final boolean enqueue(SerialTask task) {
        final SerialTask previous = (SerialTask) TAIL.getAndSet(this, task);
        if (previous == null) {
            HEAD.setRelease(this, task);
        } else {
            NEXT.setRelease(previous, task);
        }
        return (int) WIP.getAndAdd(this, 1) == 0;
    }

    /**
     * Takes the oldest task. Consumer only, and only when the count says a task is there (the
     * consumer has taken fewer than it last read from {@link #pending()} or
     * {@link #acknowledge}): it waits for a producer that has not finished linking.
     */
    final SerialTask poll() {
        SerialTask first = (SerialTask) HEAD.getAcquire(this);
        for (int spins = 0; first == null; spins++) {
            // A producer found the queue empty and is about to hand its task over.
            backOff(spins);
            first = (SerialTask) HEAD.getAcquire(this);
        }
        SerialTask second = (SerialTask) NEXT.getAcquire(first);
        if (second == null) {
            HEAD.set(this, (SerialTask) null);
            if (TAIL.compareAndSet(this, first, (SerialTask) null)) {
                return first;
            }
            // A producer swapped tail after first and is about to link behind it.
            for (int spins = 0; (second = (SerialTask) NEXT.getAcquire(first)) == null; spins++) {
                backOff(spins);
            }
        }
        HEAD.set(this, second);
        NEXT.set(first, (SerialTask) null);
        return first;
    }

    private static void backOff(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** The count as it stands: at least 1 while a drain owns the mailbox. Volatile load. */
    final int pending() {
        return (int) WIP.getVolatile(this);
    }

    /** Consumer only: records how many tasks the batch has taken, for {@link #queued()}. */
    final void taken(int count) {
        TAKEN.setOpaque(this, count);
    }

    /**
     * Consumer only: gives back the count of {@code count} tasks taken.
     *
     * @return the tasks enqueued meanwhile: 0 means the drain has ended and the mailbox is free
     *     (the next enqueue starts a new one); more means the caller still owns the drain
     */
    final int acknowledge(int count) {
        // Before the decrement: once the count is 0 another drain may be counting already.
        TAKEN.setOpaque(this, 0);
        return (int) WIP.getAndAdd(this, -count) - count;
    }

    /** Tasks queued and not yet taken; a moment's estimate from two opaque loads. Any thread. */
    final int queued() {
        final int taken = (int) TAKEN.getOpaque(this);
        return Math.max(0, (int) WIP.getOpaque(this) - taken);
    }

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle WIP;
    private static final VarHandle TAKEN;
    private static final VarHandle NEXT = SerialTask.NEXT;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(SerialMailbox.class, "head", SerialTask.class);
            TAIL = lookup.findVarHandle(SerialMailbox.class, "tail", SerialTask.class);
            WIP = lookup.findVarHandle(SerialMailbox.class, "wip", int.class);
            TAKEN = lookup.findVarHandle(SerialMailbox.class, "taken", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
