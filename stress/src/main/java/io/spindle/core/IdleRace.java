package io.spindle.core;

/**
 * The state of the idle-protocol tests: two workers, B parked and A the only searcher, and an
 * empty inject queue; plus the two halves of the race, written as {@link WorkStealingPool} and
 * {@link Worker} use {@link Idle}.
 */
final class IdleRace {

    final Idle idle = new Idle(2);
    final InjectQueue<Task> inject = new InjectQueue<>();

    IdleRace() {
        idle.transitionToParked(false);
        if (!idle.tryTransitionToSearching()) {
            throw new AssertionError("worker A could not start searching: " + idle);
        }
    }

    /**
     * Submits a task and decides whether to wake a worker, as {@code notifyParked()} does up to
     * the choice of a sleeper.
     *
     * @return whether a wake-up was reserved
     */
    boolean submitAndNotify() {
        inject.push(new StressTask(1));
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
     * Parks the last searcher and re-scans, as {@code Worker.park()} does.
     *
     * @return whether the parker was the last searcher and its re-scan saw the task
     */
    boolean parkAndRescan() {
        final boolean lastSearcher = idle.transitionToParked(true);
        return lastSearcher && !inject.isEmpty();
    }

    /** Parks the last searcher with no re-scan: the protocol minus its safety net. */
    boolean parkWithoutRescan() {
        idle.transitionToParked(true);
        return false;
    }

    /**
     * Submits a task and decides from two plain volatile reads of the state instead of the
     * read-modify-write {@link Idle#snapshotForNotify()}: the protocol minus its ordering.
     *
     * @return whether the submitter would wake a worker
     */
    boolean submitAndNotifyWithPlainRead() {
        inject.push(new StressTask(1));
        return idle.searchingNow() == 0 && idle.unparkedNow() < 2;
    }
}
