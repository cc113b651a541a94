package io.spindle.core;

/**
 * The unit of work every Spindle queue carries.
 *
 * <p>A {@code Task} holds the link that chains it into an {@link InjectQueue}, so queueing a
 * task allocates nothing: the queue is the tasks themselves. Subclass it when you control the
 * runnable (Spindle's own Reactor and RxJava Workers do); plain {@link Runnable}s handed to a
 * pool are wrapped in a task by the pool.
 *
 * <h2>Ownership</h2>
 * A task is in at most one queue at a time. While it is linked into an inject queue its link is
 * owned by that queue, and pushing it into any inject queue again is a programming error that
 * {@link InjectQueue#push} and {@link InjectQueue#pushBatch} reject with an
 * {@link IllegalStateException} instead of corrupting the list. Once a task has been popped its
 * link is clear and it may be queued again, for example to run once more.
 *
 * <h2>Thread safety</h2>
 * The link is read and written only by the queue that holds the task, under that queue's
 * exclusion or by the single thread that owns a {@link InjectQueue.Pop}; subclasses never see
 * it. What {@link #run()} does and which thread calls it is the subclass's business.
 */
public abstract class Task implements Runnable {

    /**
     * The next task in the queue holding this one; {@code null} while the task is in no inject
     * queue; {@link InjectQueue#END} when it is the last task of a queue or of a detached chain.
     * Plain field: written and read only under the owning queue's lock, or by the one thread
     * that owns a detached chain (see {@link InjectQueue}).
     */
    Task next;

    /** For subclasses. */
    protected Task() {}
}
