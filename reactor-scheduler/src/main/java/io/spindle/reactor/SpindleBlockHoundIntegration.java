package io.spindle.reactor;

import io.spindle.core.WorkStealingPool;
import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;
import reactor.core.scheduler.NonBlocking;

/**
 * Teaches BlockHound about Spindle pools: their threads must not block, except where the pool
 * itself waits on purpose. Loaded by BlockHound's {@code ServiceLoader} (registered in
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}) when
 * {@code BlockHound.install()} runs; BlockHound is an optional dependency, and nothing else
 * refers to this class.
 *
 * <h2>Non-blocking threads</h2>
 * Threads that carry Reactor's {@link NonBlocking} marker (the pool's default threads, and
 * those of Reactor's own thread factories, which {@link SpindleScheduler#factory()} is given),
 * and every other Spindle worker thread, whoever made it: a thread whose worker loop is running
 * ({@link WorkStealingPool#currentPool()}), which covers a pool built with a plain
 * {@code ThreadFactory} of the user's. BlockHound asks once per thread, at its first blocking
 * call, and a worker's first is its first idle park, which comes after its loop started.
 *
 * <h2>Allowed waits</h2>
 * Every place in core where a pool thread waits by design, found by looking for
 * {@code LockSupport.park}, {@code Thread.yield}, {@code Thread.onSpinWait} (which BlockHound
 * also counts), {@code join}, {@code sleep} and {@code wait}:
 * <ul>
 *   <li>{@code Worker.park}: the idle park of a worker with nothing to do (and its timed park
 *       while it watches other workers' LIFO slots);
 *   <li>{@code SpinLocks.lockContended}: the spin (then yield) of the inject queue's, timer
 *       shards' and Workers' short spin locks;
 *   <li>{@code SerialMailbox.backOff}: a mailbox consumer waiting for a producer to finish
 *       linking its node;
 *   <li>{@code WorkStealingPool.notifyParked}: a waker spinning while a parked worker finishes
 *       announcing itself;
 *   <li>{@code LocalQueue.drainTo}: {@code shutdownNow()} waiting out a thief's claim;
 *   <li>{@code SerialTask.endRun} and {@code ScheduledTask.endRun}: a finished task waiting for
 *       a canceller's interrupt to be delivered; the adapter's own {@code DirectRun.endRun} the
 *       same;
 *   <li>{@code Timers.awaitDriverExit}: the last worker joining the timer thread at termination;
 *   <li>{@code Timers.turn} and {@code StallMonitor.run}: the timer driver's and the stall
 *       monitor's parks (their threads are not workers, but a user's predicate may mark them).
 * </ul>
 * Anything else that blocks on a pool thread, a task calling {@code Thread.sleep} say, is
 * reported.
 */
public final class SpindleBlockHoundIntegration implements BlockHoundIntegration {

    private static final String CORE = "io.spindle.core.";

    /** For {@code ServiceLoader}. */
    public SpindleBlockHoundIntegration() {}

    /**
     * Marks Spindle worker threads non-blocking and allows the pool's own waits; see the class
     * comment.
     *
     * @param builder BlockHound's builder
     */
    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.nonBlockingThreadPredicate(current -> current.or(SpindleBlockHoundIntegration::isPoolThread));
        builder.allowBlockingCallsInside(CORE + "Worker", "park");
        builder.allowBlockingCallsInside(CORE + "SpinLocks", "lockContended");
        builder.allowBlockingCallsInside(CORE + "SerialMailbox", "backOff");
        builder.allowBlockingCallsInside(CORE + "WorkStealingPool", "notifyParked");
        builder.allowBlockingCallsInside(CORE + "LocalQueue", "drainTo");
        builder.allowBlockingCallsInside(CORE + "SerialTask", "endRun");
        builder.allowBlockingCallsInside(CORE + "ScheduledTask", "endRun");
        builder.allowBlockingCallsInside(CORE + "Timers", "awaitDriverExit");
        builder.allowBlockingCallsInside(CORE + "Timers", "turn");
        builder.allowBlockingCallsInside(CORE + "StallMonitor", "run");
        builder.allowBlockingCallsInside(DirectRun.class.getName(), "endRun");
    }

    /** A Reactor non-blocking thread, or a Spindle worker thread however it was made. */
    static boolean isPoolThread(Thread thread) {
        return thread instanceof NonBlocking
                || (thread == Thread.currentThread() && WorkStealingPool.currentPool() != null);
    }

    @Override
    public String toString() {
        return "SpindleBlockHoundIntegration";
    }
}
