package io.spindle.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The arbiter's bookkeeping: every place a task can end up is drained into the ledger, which then
 * says which of the tasks {@code 1..count} were found nowhere and which were found twice.
 *
 * <p>Arbiters run after both actors, so draining the actors' queues from the arbiter thread is
 * race-free; {@link LocalQueue#drainTo} is the any-thread way to empty a local queue.
 */
final class TaskLedger {

    private final int count;
    private int seenOnce;
    private int seenTwice;

    TaskLedger(int count) {
        this.count = count;
    }

    /** Records one task; null (a slot read before it was written, or cleared) is ignored. */
    int record(Task task) {
        final int bit = StressTask.bit(task);
        seenTwice |= seenOnce & bit;
        seenOnce |= bit;
        return bit;
    }

    /** Records everything left in {@code queue}; returns the mask of the tasks found there. */
    int recordAll(LocalQueue queue) {
        final List<Task> tasks = new ArrayList<>();
        queue.drainTo(tasks);
        int mask = 0;
        for (Task task : tasks) {
            mask |= record(task);
        }
        return mask;
    }

    /** Records everything left in {@code queue}; returns the mask of the tasks found there. */
    int recordAll(InjectQueue<Task> queue) {
        int mask = 0;
        Task task;
        while ((task = queue.pop()) != null) {
            mask |= record(task);
        }
        return mask;
    }

    /** Tasks recorded nowhere: each is a task the protocol lost. */
    int lost() {
        return ~seenOnce & ((1 << count) - 1);
    }

    /** Tasks recorded more than once: each is a task two parties both took. */
    int duplicated() {
        return seenTwice;
    }
}
