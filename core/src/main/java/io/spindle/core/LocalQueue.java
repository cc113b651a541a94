package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;

/**
 * A worker's own run queue: a bounded ring written by one owner thread and drained by the owner
 * and by thieves. The Java form of Tokio's {@code queue.rs} (itself Go's {@code runq}).
 *
 * <h2>Protocol</h2>
 * <pre>
 *  tail  ── int, written only by the owner: plain load by the owner, release store after the
 *           slot is written, acquire load by thieves. Wraps like Rust's wrapping_add.
 *  head  ── long packing (steal &lt;&lt; 32 | real). real is the next task to take; steal is where
 *           a thief's claim began, equal to real when no steal is in flight. CAS (volatile)
 *           by the owner's pop and by thieves; acquire load otherwise.
 *  slots ── plain array elements. A slot is written by the owner only while it is free
 *           (tail - steal &lt; capacity, read from an acquire load of head, so every thief that
 *           last used the slot has released its claim with a CAS that happens-before this
 *           write); read, and cleared for the garbage collector, only by whoever claimed it
 *           through head.
 * </pre>
 * The owner pushes with no read-modify-write: a slot store and a release store of tail. It pops
 * with a CAS because thieves move real too. A thief claims ⌈half⌉ of the queue with one CAS of
 * head that advances real and leaves steal behind, copies the tasks into its own queue, then
 * CASes steal up to real to release its claim. While a claim is in flight other thieves give
 * up at once instead of waiting, and the owner can still pop: it advances real and leaves
 * steal alone. Indices are 32-bit counters much wider than the ring, so a slot is never
 * confused with one a full turn earlier (Tokio #5041).
 *
 * <h2>Overflow</h2>
 * When the ring is full and no steal is in flight, the owner claims the whole ring with one CAS,
 * keeps the older half in place (by moving tail, without copying) and sends the newer half plus
 * the incoming task to the inject queue in one splice. Tasks the owner pulls from the inject
 * queue always land in the older half, so a task can never bounce between the two queues
 * forever: Tokio #8029's ordering. While a steal is in flight the incoming task alone goes to
 * the inject queue: the thief is about to free half the ring.
 *
 * <p>Only the owner calls {@link #pushBackOrOverflow}, the {@code pushBackAll}s and {@link #pop};
 * any thread may call {@link #stealInto}, {@link #drainTo}, {@link #len} and
 * {@link #isEmpty()}.
 */
final class LocalQueue extends LocalQueueTail {

    final Task[] buffer;
    final int capacity;
    final int mask;

    LocalQueue(int capacity) {
        if (capacity < 4 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 4, was " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.buffer = new Task[capacity];
    }

    static long pack(int steal, int real) {
        return ((long) steal << 32) | (real & 0xFFFF_FFFFL);
    }

    static int steal(long head) {
        return (int) (head >>> 32);
    }

    static int real(long head) {
        return (int) head;
    }

    /**
     * Tasks in the queue, excluding any a thief has claimed but not yet released: exact at the
     * instant tail was loaded. Head is loaded again after tail and the pair is used only if head
     * did not move (head never repeats a value), so tail - real is a depth the queue really had.
     * Loading head then tail once could pair a head with a tail from thousands of pushes later
     * if the reader were descheduled in between.
     */
    int len() {
        long head = (long) HEAD.getAcquire(this);
        for (;;) {
            final int tail = (int) TAIL.getAcquire(this);
            final long again = (long) HEAD.getAcquire(this);
            if (again == head) {
                return Math.max(0, tail - real(head));
            }
            head = again;
        }
    }

    boolean isEmpty() {
        return len() == 0;
    }

    /** Free slots, counting those a thief is still copying out as taken. Owner only. */
    int remainingSlots() {
        final long head = (long) HEAD.getAcquire(this);
        return capacity - (this.tail - steal(head));
    }

    /**
     * Pushes a task at the back; when the ring is full, moves the newer half and the task to
     * {@code inject} in one splice. Owner only.
     *
     * @return whether other workers should be told: true if the push made an empty queue
     *     non-empty or sent tasks to the inject queue. A push onto tasks that were already
     *     queued tells nobody: whoever was told about those (or the last searcher's re-scan, if
     *     nobody could be woken then) will find this one too, since a thief takes half and the
     *     thief that stops searching wakes the next worker (see {@link Idle}). This is what
     *     keeps a worker that fans out thousands of tasks from paying an atomic operation on
     *     the shared idle word per task. "Already queued" is judged after the task is
     *     published, see {@link #emptiedBeforePublishing}.
     */
    boolean pushBackOrOverflow(Task task, InjectQueue<Task> inject, WorkerMetrics metrics) {
        for (;;) {
            final long head = (long) HEAD.getAcquire(this);
            final int steal = steal(head);
            final int real = real(head);
            final int tail = this.tail;
            if (tail - steal < capacity) {
                buffer[tail & mask] = task;
                TAIL.setRelease(this, tail + 1);
                return tail == real || emptiedBeforePublishing(tail);
            }
            if (steal != real) {
                // A thief is copying half the ring out; it will have room again shortly. One
                // task is a push, not a batch splice: not counted as one.
                inject.spliceEvenIfClosed(task, task, 1);
                return true;
            }
            if (pushOverflow(task, real, tail, inject, metrics)) {
                JfrEvents.overflow((capacity >>> 1) + 1, capacity);
                return true;
            }
            // A thief claimed tasks between our read of head and the CAS: try again.
        }
    }

    /**
     * Whether every task queued before position {@code published} was taken before the task at
     * {@code published} became visible: the push then made an empty queue non-empty after all,
     * and must tell somebody. Owner only, right after the release store of tail.
     *
     * <p>The owner decided "non-empty" from a head it loaded before publishing. A thief may
     * have claimed the rest of the queue in between and then looked at tail for the last time
     * (its final steal attempt, or the re-scan of the last searcher to park) before the new
     * tail was visible: nobody would then ever come for the task (seen as 22 tasks stranded
     * behind a blocked worker while the other slept). This is Dekker's pattern: the owner
     * stores tail then loads head, the thief CASes head then (through the parking protocol's
     * fence, see {@code WorkStealingPool.anyWorkVisible}) loads tail. With a full fence between
     * the owner's store and load, and the thief's CAS and re-scan totally ordered with it, at
     * least one side sees the other: either this load sees the queue emptied, and the owner
     * notifies, or the thief's re-scan sees the task. Tested by jcstress
     * {@code LocalQueuePushVsLastStealTest}; {@code LocalQueuePushJudgedEarlyLosesWakeup} shows
     * the lost wake-up of the early judgement alone.
     *
     * <p>The fence is paid only by a push onto a queue that looked non-empty, the fan-out case
     * the rule above exists for; it is a fence on the owner's own core, not a read-modify-write
     * of a line every worker writes, as a notification would be.
     */
    private boolean emptiedBeforePublishing(int published) {
        VarHandle.fullFence();
        return real((long) HEAD.getVolatile(this)) == published;
    }

    private boolean pushOverflow(Task task, int real, int tail, InjectQueue<Task> inject, WorkerMetrics metrics) {
        final int half = capacity >>> 1;
        // Claim the whole ring; the older half is handed straight back by moving tail.
        if (!HEAD.compareAndSet(this, pack(real, real), pack(tail, tail))) {
            return false;
        }
        // The newer half: positions real + half .. real + capacity - 1.
        final Task[] buffer = this.buffer;
        final int mask = this.mask;
        Task first = null;
        Task last = null;
        for (int i = half; i < capacity; i++) {
            final int slot = (real + i) & mask;
            final Task t = buffer[slot];
            buffer[slot] = null;
            if (last == null) {
                first = t;
            } else {
                last.next = t;
            }
            last = t;
        }
        last.next = task;
        // The older half sits at physical slots real .. real + half - 1, which are exactly the
        // positions tail .. tail + half - 1 because tail ≡ real (mod capacity) when full.
        TAIL.setRelease(this, tail + half);
        // Counted before the splice, so that whoever saw a spliced task run sees it counted.
        metrics.overflow(half + 1);
        inject.spliceEvenIfClosed(first, task, half + 1);
        return true;
    }

    /**
     * Pushes tasks that are known to fit (callers bound their number by
     * {@link #remainingSlots()}), publishing them with one release store. Owner only.
     *
     * @return whether other workers should be told, by the rule of {@link #pushBackOrOverflow}:
     *     true if the tasks made an empty queue non-empty (judged after publishing them)
     */
    boolean pushBackAll(InjectQueue.Pop<Task> tasks) {
        final int start = this.tail;
        final boolean wasEmpty = real((long) HEAD.getAcquire(this)) == start;
        int tail = start;
        final Task[] buffer = this.buffer;
        while (tasks.hasNext()) {
            buffer[tail & mask] = tasks.next();
            tail++;
        }
        if (tail == start) {
            return false;
        }
        TAIL.setRelease(this, tail);
        return wasEmpty || emptiedBeforePublishing(start);
    }

    /**
     * Pushes {@code tasks[0..count)}, which are known to fit (callers bound {@code count} by
     * {@link #remainingSlots()}; a thief can only free slots meanwhile), publishing them with one
     * release store. Owner only. Says nothing about waking anyone: its one caller,
     * {@code executeAll} on a worker, always notifies after a batch, so the rule of
     * {@link #pushBackOrOverflow} (and its fence) would buy nothing here.
     */
    void pushBackAll(Task[] tasks, int count) {
        final int start = this.tail;
        final Task[] buffer = this.buffer;
        final int mask = this.mask;
        for (int i = 0; i < count; i++) {
            buffer[(start + i) & mask] = tasks[i];
        }
        TAIL.setRelease(this, start + count);
    }

    /** Takes the oldest task, or returns null. Owner only. */
    Task pop() {
        long head = (long) HEAD.getAcquire(this);
        for (;;) {
            final int steal = steal(head);
            final int real = real(head);
            if (real == this.tail) {
                return null;
            }
            final int nextReal = real + 1;
            final long next = steal == real ? pack(nextReal, nextReal) : pack(steal, nextReal);
            final long witness = (long) HEAD.compareAndExchange(this, head, next);
            if (witness == head) {
                final int slot = real & mask;
                final Task task = buffer[slot];
                buffer[slot] = null;
                return task;
            }
            head = witness;
        }
    }

    /**
     * Steals ⌈half⌉ of this queue into {@code dst}, the thief's own queue, and returns the last
     * stolen task to run at once. Called by the owner of {@code dst}; never waits for another
     * thief.
     *
     * @return the task to run, or null if there was nothing to steal, another thief was busy
     *     here, or {@code dst} has no room for half a queue
     */
    Task stealInto(LocalQueue dst, WorkerMetrics metrics) {
        final int dstTail = dst.tail;
        final long dstHead = (long) HEAD.getAcquire(dst);
        if (dstTail - steal(dstHead) > dst.capacity >>> 1) {
            // Owner-side invariant: stealing only into a queue at most half full keeps every
            // claim (at most half this queue) within dst's free slots.
            return null;
        }
        int n = claimAndCopy(dst.buffer, dst.mask, dstTail, false);
        if (n == 0) {
            return null;
        }
        metrics.steal(n);
        n--;
        final int slot = (dstTail + n) & dst.mask;
        final Task last = dst.buffer[slot];
        dst.buffer[slot] = null;
        if (n > 0) {
            TAIL.setRelease(dst, dstTail + n);
        }
        return last;
    }

    /**
     * Claims every task in the queue from any thread and adds them to {@code sink}, oldest
     * first; used by {@code shutdownNow}. Retries while another thief holds a claim.
     */
    void drainTo(Collection<? super Task> sink) {
        final Task[] scratch = new Task[capacity];
        for (;;) {
            final long head = (long) HEAD.getAcquire(this);
            final int tail = (int) TAIL.getAcquire(this);
            if (real(head) == tail) {
                return;
            }
            final int n = claimAndCopy(scratch, capacity - 1, 0, true);
            for (int i = 0; i < n; i++) {
                sink.add(scratch[i]);
                scratch[i] = null;
            }
            if (n == 0) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The thief's protocol: claim ⌈half⌉ (or everything) with one CAS, copy the claimed tasks
     * into {@code dst} starting at {@code dstTail} without publishing them, and release the
     * claim. Returns how many were copied; 0 if there was nothing or another claim was in
     * flight.
     */
    private int claimAndCopy(Task[] dst, int dstMask, int dstTail, boolean all) {
        long prev = (long) HEAD.getAcquire(this);
        long next;
        int first;
        int n;
        for (;;) {
            final int steal = steal(prev);
            final int real = real(prev);
            if (steal != real) {
                return 0;
            }
            final int tail = (int) TAIL.getAcquire(this);
            final int available = tail - real;
            if (available <= 0) {
                return 0;
            }
            n = all ? available : available - (available >>> 1);
            first = real;
            next = pack(steal, real + n);
            final long witness = (long) HEAD.compareAndExchange(this, prev, next);
            if (witness == prev) {
                break;
            }
            prev = witness;
        }
        final Task[] buffer = this.buffer;
        for (int i = 0; i < n; i++) {
            final int slot = (first + i) & mask;
            dst[(dstTail + i) & dstMask] = buffer[slot];
            buffer[slot] = null;
        }
        // Release the claim: steal catches up with real, which the owner may have moved on.
        prev = next;
        for (;;) {
            final int real = real(prev);
            final long released = pack(real, real);
            final long witness = (long) HEAD.compareAndExchange(this, prev, released);
            if (witness == prev) {
                return n;
            }
            prev = witness;
        }
    }

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(LocalQueueHead.class, "head", long.class);
            TAIL = lookup.findVarHandle(LocalQueueTail.class, "tail", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

/** Padding before head. Superclass fields are laid out first. */
abstract class LocalQueuePadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The packed (steal, real) head: CASed by the owner's pop and by every thief. */
abstract class LocalQueueHead extends LocalQueuePadBefore {
    long head;
}

/** Keeps the thieves' CAS traffic on head off the owner's tail line. */
abstract class LocalQueuePadMiddle extends LocalQueueHead {
    long m00, m01, m02, m03, m04, m05, m06, m07;
    long m08, m09, m10, m11, m12, m13, m14, m15;
}

/** Written by the owner only; read by thieves with an acquire load. */
abstract class LocalQueueTail extends LocalQueuePadMiddle {
    int tail;
}
