package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The pool's global queue: an unbounded, multi-producer, multi-consumer FIFO of {@link Task}s,
 * linked through the tasks themselves so that queueing allocates nothing.
 *
 * <p>Work submitted from outside the pool, work that overflows a worker's local queue and timers
 * that expire all enter here, usually in batches; idle workers take batches out. It is the Java
 * form of Tokio's inject queue.
 *
 * <h2>Protocol</h2>
 * <pre>
 *  lock  ── 0 free, 1 held. Taken with an acquire CAS, released with a release store: everything
 *           written inside the critical section happens-before the next holder's entry.
 *  head, tail, every linked task's Task.next
 *        ── plain fields, read and written only while holding the lock.
 *  len   ── written only while holding the lock, as a release store of the new value; read
 *           anywhere with an acquire load (len(), isEmpty(), and the lock-free "empty" fast path
 *           of pop and popN). A reader that sees len &gt; 0 also sees the links that made it so
 *           once it takes the lock; one that sees 0 may miss a push that is racing with it,
 *           which is why the pool pairs every push with its own wake-up protocol instead of
 *           relying on a later isEmpty().
 *  closed── written once, false to true, inside the lock as a release store; read inside the
 *           lock by push and pushBatch (so a push either lands before close or sees it) and
 *           with an acquire load by isClosed().
 *  pushed── tasks accepted by push/pushBatch, the pool's remote-schedule count: written inside
 *           the lock as an opaque store (a long must not tear), read with an opaque load. It
 *           rides on the lock the push already holds, so counting costs no extra atomic.
 *  pushedBatches, pushedBatchTasks
 *        ── batches accepted by pushBatch and the tasks they carried (the pool's count of
 *           executeAll splices from outside): the same rules as pushed, and the same reason.
 *           One pair of stores per batch, never per task.
 * </pre>
 * A task linked into the queue has a non-null {@code next}: the following task, or {@link #END}
 * for the last one. A task in no queue has {@code next == null}. That invariant is what lets
 * {@code push} and {@code pushBatch} detect a task pushed twice instead of tying the list into
 * a loop.
 *
 * <h2>Why a short spin lock and not a lock-free list</h2>
 * Producers are often non-blocking threads (Netty event loops, other pools' workers), so a push
 * must never park. The critical sections are a handful of plain stores: {@code push} links one
 * task, {@code pushBatch} splices a chain that was linked <em>before</em> taking the lock (O(1)
 * whatever the batch size), {@code pop} unlinks one, and a {@code Pop} returns its remainder
 * with one splice. {@code popN} walks at most {@code n} links (callers keep {@code n} at or
 * below half a local queue, 128), or takes the whole list in O(1). Sections that short make a
 * test-and-test-and-set spin lock cheaper than a lock-free list here: a Vyukov/XCHG list makes
 * push wait-free but leaves consumers to spin on the gap between the exchange and the link,
 * needs an atomic read-modify-write on {@code len} from every producer, and cannot close the
 * queue atomically against a racing push without a second protocol. The spin lock gives one
 * place where every field changes, exact {@code len}, and an atomic {@code close}. The numbers
 * behind the choice (push/pop pairs from 1, 2 and 4 producers, batch splice) against
 * {@code ConcurrentLinkedQueue} and JCTools' {@code MpmcUnboundedXaddArrayQueue} are in
 * BENCHMARKS.md ({@code InjectQueueBenchmark}).
 *
 * <p>A waiter spins with {@link Thread#onSpinWait()} and, after {@value SpinLocks#SPINS_BEFORE_YIELD}
 * failed tries, yields its time slice so that a preempted holder can finish on a machine with
 * more runnable threads than cores. It never parks and never allocates.
 *
 * <h2>Thread safety and failure</h2>
 * Every method may be called from any thread at any time, except that a {@link Pop} belongs to
 * the thread that took it. Bad arguments throw before the queue is touched and leave it
 * unchanged: {@code null} tasks, batches or batch elements throw {@link NullPointerException},
 * a negative {@code n} throws {@link IllegalArgumentException}, a task that is already in a
 * queue throws {@link IllegalStateException}; a batch with any bad element is rejected whole.
 *
 * @param <T> the type of task carried
 */
public final class InjectQueue<T extends Task> extends InjectQueuePadAfter {

    /**
     * Marks the last task of the queue or of a detached chain, so that "linked" is
     * {@code next != null} for every linked task, the last one included.
     */
    static final Task END = new Task() {
        @Override
        public void run() {
            throw new AssertionError("the inject queue's end marker is never run");
        }
    };

    private static final Pop<?> EMPTY_POP = new EmptyPop<>();

    /** Creates an empty, open queue. */
    public InjectQueue() {}

    /**
     * Adds a task at the tail.
     *
     * @param task the task; it must not be in any inject queue already
     * @return {@code true} if the task was queued; {@code false} if the queue is closed, in which
     *     case the queue is unchanged and the caller still owns the task
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if {@code task} is already linked into a queue, or the queue
     *     already holds {@link Integer#MAX_VALUE} tasks
     */
    public boolean push(T task) {
        Objects.requireNonNull(task, "task");
        lock();
        try {
            // Before the closed check: false would tell the caller it owns a task that a queue
            // (maybe this closed one, which shutdown still drains) owns.
            if (task.next != null) {
                throw new IllegalStateException("task is already in a queue: " + task);
            }
            if (closed) {
                return false;
            }
            final int len = this.len;
            if (len == Integer.MAX_VALUE) {
                throw new IllegalStateException("inject queue is full: " + len + " tasks");
            }
            task.next = END;
            appendLocked(task, task, 1);
            PUSHED.setOpaque(this, pushed + 1);
            return true;
        } finally {
            unlock();
        }
    }

    /**
     * Adds every task of {@code tasks} at the tail, in iteration order, all or nothing.
     *
     * <p>The tasks are linked to one another before the queue's lock is taken; inside it the
     * chain is spliced on in O(1), so a batch of any size costs one short critical section. The
     * batch is iterated exactly once.
     *
     * @param tasks the tasks; none may be null, be in a queue already, or appear twice
     * @return {@code true} if every task was queued (also for an empty batch on an open queue);
     *     {@code false} if the queue is closed, in which case none was and the caller still owns
     *     them all
     * @throws NullPointerException if {@code tasks} or one of its elements is null; nothing is
     *     queued
     * @throws IllegalStateException if an element is already in a queue or appears twice in the
     *     batch, or the queue would hold more than {@link Integer#MAX_VALUE} tasks; nothing is
     *     queued
     */
    public boolean pushBatch(Iterable<? extends T> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        Task first = null;
        Task last = null;
        int count = 0;
        boolean linked = false;
        try {
            for (T task : tasks) {
                if (task == null) {
                    throw new NullPointerException("tasks[" + count + "] is null");
                }
                if (task.next != null) {
                    throw new IllegalStateException("tasks[" + count + "] is already in a queue or appears twice in the batch: " + task);
                }
                // Marking each task as linked as soon as it joins the chain is what catches a
                // task that appears twice in the same batch.
                task.next = END;
                if (last == null) {
                    first = task;
                } else {
                    last.next = task;
                }
                last = task;
                count++;
            }
            linked = true;
        } finally {
            if (!linked) {
                unlinkChain(first, last);
            }
        }
        if (first == null) {
            return !isClosed();
        }
        boolean spliced = false;
        lock();
        try {
            if (!closed) {
                final int len = this.len;
                if (len > Integer.MAX_VALUE - count) {
                    throw new IllegalStateException("inject queue is full: " + len + " tasks, batch of " + count);
                }
                appendLocked(first, last, count);
                PUSHED.setOpaque(this, pushed + count);
                PUSHED_BATCHES.setOpaque(this, pushedBatches + 1);
                PUSHED_BATCH_TASKS.setOpaque(this, pushedBatchTasks + count);
                spliced = true;
            }
        } finally {
            unlock();
            if (!spliced) {
                // Closed, or full: hand the tasks back to the caller as they came.
                unlinkChain(first, last);
            }
        }
        return spliced;
    }

    /**
     * Removes the oldest task.
     *
     * @return the oldest task, or {@code null} if the queue is empty; a popped task is in no
     *     queue and may be pushed again
     */
    public T pop() {
        if ((int) LEN.getAcquire(this) == 0) {
            return null;
        }
        lock();
        try {
            final Task head = this.head;
            if (head == null) {
                return null;
            }
            final Task next = head.next;
            if (next == END) {
                this.head = null;
                this.tail = null;
            } else {
                this.head = next;
            }
            head.next = null;
            LEN.setRelease(this, len - 1);
            return cast(head);
        } finally {
            unlock();
        }
    }

    /**
     * Removes the {@code min(n, len())} oldest tasks at once and hands them over as a
     * {@link Pop}, oldest first.
     *
     * <p>The tasks are detached from the queue before this method returns: pushes and other
     * pops proceed while the {@code Pop} is being consumed, and {@link #len()} no longer counts
     * them. Closing the {@code Pop} before it is exhausted puts the tasks it did not hand out
     * back at the head of the queue, in their order, so nothing is lost.
     *
     * @param n the most tasks to take; {@code 0} returns an empty {@code Pop}
     * @return the detached tasks; use it in a try-with-resources block
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public Pop<T> popN(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        if (n == 0 || (int) LEN.getAcquire(this) == 0) {
            return emptyPop();
        }
        final Task first;
        final Task last;
        final int taken;
        lock();
        try {
            final int len = this.len;
            if (len == 0) {
                return emptyPop();
            }
            first = head;
            if (n >= len) {
                taken = len;
                last = tail;
                head = null;
                tail = null;
            } else {
                taken = n;
                Task cursor = first;
                for (int i = 1; i < taken; i++) {
                    cursor = cursor.next;
                }
                last = cursor;
                head = last.next;
                last.next = END;
            }
            LEN.setRelease(this, len - taken);
        } finally {
            unlock();
        }
        return new ChainPop<>(this, first, last, taken);
    }

    /**
     * The number of tasks in the queue, read without taking the lock.
     *
     * <p>Exact at some instant during the call; tasks detached into a {@link Pop} are not
     * counted.
     *
     * @return the number of queued tasks, {@code >= 0}
     */
    public int len() {
        return (int) LEN.getAcquire(this);
    }

    /**
     * Whether the queue holds no task, read without taking the lock.
     *
     * @return {@code true} if {@link #len()} is 0
     */
    public boolean isEmpty() {
        return (int) LEN.getAcquire(this) == 0;
    }

    /**
     * Closes the queue to new tasks. Tasks already inside stay and can still be popped, so a
     * shutting-down pool drains them.
     *
     * @return {@code true} only for the call that closed the queue
     */
    public boolean close() {
        lock();
        try {
            if (closed) {
                return false;
            }
            CLOSED.setRelease(this, true);
            return true;
        } finally {
            unlock();
        }
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return {@code true} once the queue is closed; from then on every push returns
     *     {@code false}
     */
    public boolean isClosed() {
        return (boolean) CLOSED.getAcquire(this);
    }

    @Override
    public String toString() {
        return "InjectQueue[len=" + len() + (isClosed() ? ", closed]" : "]");
    }

    /**
     * Splices a chain the caller linked through {@code Task.next}, {@code first..last} with
     * {@code count} tasks, at the tail, whether or not the queue is closed.
     *
     * <p>For the pool's own traffic only: tasks that were already accepted and must not be
     * dropped by a shutdown that closed the queue under them (a local queue's overflow, expired
     * timers). Closing stops new submissions; it never strands accepted work.
     */
    void spliceEvenIfClosed(Task first, Task last, int count) {
        last.next = END;
        lock();
        try {
            appendLocked(first, last, count);
        } finally {
            unlock();
        }
    }

    /**
     * Appends the chain {@code first..last} of {@code count} tasks, already linked and ending
     * in {@link #END}, at the tail. Caller holds the lock.
     */
    private void appendLocked(Task first, Task last, int count) {
        final Task tail = this.tail;
        if (tail == null) {
            head = first;
        } else {
            tail.next = first;
        }
        this.tail = last;
        LEN.setRelease(this, len + count);
    }

    /** Puts back the unconsumed rest of a {@link Pop}, {@code first..last}, at the head. */
    void pushFront(Task first, Task last, int count) {
        lock();
        try {
            final Task head = this.head;
            if (head == null) {
                last.next = END;
                this.tail = last;
            } else {
                last.next = head;
            }
            this.head = first;
            LEN.setRelease(this, len + count);
        } finally {
            unlock();
        }
    }

    /** Clears the links of a chain that was built for a batch but will not be queued. */
    private static void unlinkChain(Task first, Task last) {
        Task cursor = first;
        while (cursor != null) {
            final Task next = cursor.next;
            cursor.next = null;
            if (cursor == last) {
                return;
            }
            cursor = next;
        }
    }

    private void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            SpinLocks.lockContended(LOCK, this);
        }
    }

    private void unlock() {
        LOCK.setRelease(this, 0);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Task> T cast(Task task) {
        return (T) task;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Task> Pop<T> emptyPop() {
        return (Pop<T>) EMPTY_POP;
    }

    /**
     * Tasks ever accepted through {@link #push} and {@link #pushBatch}: the pool's count of
     * submissions from outside. Internal splices are not counted.
     */
    long pushedCount() {
        return (long) PUSHED.getOpaque(this);
    }

    /**
     * Non-empty batches ever accepted through {@link #pushBatch}: the pool's count of
     * {@code executeAll} splices from outside.
     */
    long pushedBatchCount() {
        return (long) PUSHED_BATCHES.getOpaque(this);
    }

    /** Tasks carried by the batches of {@link #pushedBatchCount()}. */
    long pushedBatchTaskCount() {
        return (long) PUSHED_BATCH_TASKS.getOpaque(this);
    }

    private static final VarHandle LOCK;
    private static final VarHandle LEN;
    private static final VarHandle CLOSED;
    private static final VarHandle PUSHED;
    private static final VarHandle PUSHED_BATCHES;
    private static final VarHandle PUSHED_BATCH_TASKS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOCK = lookup.findVarHandle(InjectQueueFields.class, "lock", int.class);
            LEN = lookup.findVarHandle(InjectQueueFields.class, "len", int.class);
            CLOSED = lookup.findVarHandle(InjectQueueFields.class, "closed", boolean.class);
            PUSHED = lookup.findVarHandle(InjectQueueFields.class, "pushed", long.class);
            PUSHED_BATCHES = lookup.findVarHandle(InjectQueueFields.class, "pushedBatches", long.class);
            PUSHED_BATCH_TASKS = lookup.findVarHandle(InjectQueueFields.class, "pushedBatchTasks", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Tasks taken out of an {@link InjectQueue} by {@link InjectQueue#popN}, oldest first.
     *
     * <p>A {@code Pop} owns a chain detached from the queue: iterating it takes no lock and
     * never makes a pusher wait. It belongs to the thread that took it and is not thread-safe.
     * Each task it returns is in no queue and may be pushed again.
     *
     * @param <T> the type of task carried
     */
    public interface Pop<T> extends Iterator<T>, AutoCloseable {

        /**
         * How many tasks this {@code Pop} still holds.
         *
         * @return the number of tasks {@link #next()} will still return, {@code >= 0}
         */
        int remaining();

        /**
         * Puts the tasks not yet returned by {@link #next()} back at the head of the queue, in
         * their order, ahead of everything pushed meanwhile; they are counted by
         * {@link InjectQueue#len()} again. This happens even if the queue has been closed
         * meanwhile, so that shutdown drains them. Idempotent; does nothing once the
         * {@code Pop} is exhausted.
         */
        @Override
        void close();
    }

    private static final class ChainPop<T extends Task> implements Pop<T> {
        private final InjectQueue<T> queue;
        private final Task last;
        private Task cursor;
        private int remaining;

        ChainPop(InjectQueue<T> queue, Task first, Task last, int count) {
            this.queue = queue;
            this.cursor = first;
            this.last = last;
            this.remaining = count;
        }

        @Override
        public boolean hasNext() {
            return remaining > 0;
        }

        @Override
        public T next() {
            if (remaining == 0) {
                throw new NoSuchElementException("this Pop is exhausted");
            }
            final Task task = cursor;
            cursor = task.next;
            task.next = null;
            remaining--;
            return cast(task);
        }

        @Override
        public int remaining() {
            return remaining;
        }

        @Override
        public void close() {
            final int remaining = this.remaining;
            if (remaining > 0) {
                this.remaining = 0;
                final Task first = cursor;
                cursor = null;
                queue.pushFront(first, last, remaining);
            }
        }

        @Override
        public String toString() {
            return "Pop[remaining=" + remaining + "]";
        }
    }

    private static final class EmptyPop<T> implements Pop<T> {
        @Override
        public boolean hasNext() {
            return false;
        }

        @Override
        public T next() {
            throw new NoSuchElementException("this Pop is exhausted");
        }

        @Override
        public int remaining() {
            return 0;
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "Pop[remaining=0]";
        }
    }
}

/**
 * Cache-line padding before the queue's fields so that they do not share a line with whatever
 * the allocator put in front of the queue. Superclass fields are laid out first.
 */
abstract class InjectQueuePadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}

/**
 * The queue's state. Every field is touched by whoever holds the lock, so they share one line;
 * the padding classes around this one keep other objects' writes off it. See
 * {@link InjectQueue} for the access rules.
 */
abstract class InjectQueueFields extends InjectQueuePadBefore {
    /** 0 free, 1 held: acquire CAS to take, release store to give back. */
    int lock;
    /** Written under the lock with a release store; read anywhere with an acquire load. */
    int len;
    /** false to true once, under the lock, as a release store; read with an acquire load. */
    boolean closed;
    /** Oldest task; plain, under the lock. */
    Task head;
    /** Newest task; plain, under the lock. */
    Task tail;
    /**
     * Tasks accepted by push and pushBatch: written under the lock as an opaque store (never
     * torn), read anywhere with an opaque load; a statistic that orders nothing.
     */
    long pushed;
    /** Batches accepted by pushBatch: as {@link #pushed}. */
    long pushedBatches;
    /** Tasks in those batches: as {@link #pushed}. */
    long pushedBatchTasks;
}

/**
 * Cache-line padding after the queue's fields. It lives in a subclass because HotSpot orders
 * the fields of one class by size, which would put padding declared beside them in front.
 */
abstract class InjectQueuePadAfter extends InjectQueueFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;
}
