package io.spindle.core;

import java.lang.invoke.VarHandle;

/**
 * The state of the local-push lost wake-up tests: two workers. The owner's queue holds one task
 * and the owner is running; the other worker is the only searcher, about to steal that task and
 * then, finding nothing more, park. The owner pushes a second task at the same time. Nobody
 * else will look at the owner's queue, so the second task needs either a wake-up from the owner
 * or the parking searcher's re-scan.
 */
final class LocalPushRace {

    final Idle idle = new Idle(2);
    final LocalQueue owner = new LocalQueue(8);
    final LocalQueue thief = new LocalQueue(8);
    final InjectQueue<Task> inject = new InjectQueue<>();
    final WorkerMetrics ownerMetrics = new WorkerMetrics();
    final WorkerMetrics thiefMetrics = new WorkerMetrics();
    final Task second = new StressTask(2);

    LocalPushRace() {
        owner.pushBackOrOverflow(new StressTask(1), inject, ownerMetrics);
        // Both workers start unparked; the thief becomes the one searcher.
        if (!idle.tryTransitionToSearching()) {
            throw new AssertionError("the thief could not start searching: " + idle);
        }
    }

    /**
     * The owner pushes the second task as {@code Worker.scheduleLocal} does: the push, then
     * {@code notifyParked()} up to the choice of a sleeper if the push says to tell somebody.
     *
     * @return whether a wake-up was reserved
     */
    boolean pushAndMaybeNotify() {
        return owner.pushBackOrOverflow(second, inject, ownerMetrics) && reserveWake();
    }

    /**
     * The protocol minus the re-check after publishing: "was the queue empty?" decided from a
     * load made before the task was published, which is what {@code pushBackOrOverflow} did
     * before {@code LocalQueue.emptiedBeforePublishing}.
     */
    boolean pushJudgedEarly() {
        final boolean wasEmpty = owner.isEmpty();
        owner.pushBackOrOverflow(second, inject, ownerMetrics);
        return wasEmpty && reserveWake();
    }

    private boolean reserveWake() {
        int state = idle.snapshotForNotify();
        for (;;) {
            final int reserved = idle.tryReserveWake(state);
            if (reserved == -1) {
                return true;
            }
            if (reserved == -2) {
                return false;
            }
            state = reserved;
        }
    }

    /**
     * The searcher steals (half of what it sees, so the first task at most when it sees both),
     * and then parks as the last searcher and re-scans, as {@code Worker.park()} does through
     * {@code WorkStealingPool.anyWorkVisible()} (its fence, then the queue's depth).
     *
     * @return whether the re-scan saw work left in the owner's queue
     */
    boolean stealThenParkAndRescan() {
        owner.stealInto(thief, thiefMetrics);
        final boolean lastSearcher = idle.transitionToParked(true);
        if (!lastSearcher) {
            throw new AssertionError("the thief is the only searcher: " + idle);
        }
        VarHandle.fullFence();
        return !owner.isEmpty();
    }

    /** Whether the second task is still in the owner's queue (nobody took it). */
    boolean secondStillQueued() {
        return !owner.isEmpty();
    }
}
