package io.spindle.core;

/**
 * The state of the serial mailbox's stress tests: a drain in progress that has taken the only
 * task it was told about, and a producer with a second task; plus the two halves of the race,
 * written as {@link SerialWorker} uses {@link SerialMailbox}.
 */
final class SerialMailboxRace {

    /** A mailbox on its own: the race is between enqueue and the drain's exit, not the pool. */
    private static final class Mailbox extends SerialMailbox {
        @Override
        public void run() {
            throw new AssertionError("the stress tests drive the mailbox by hand");
        }
    }

    private static final Runnable NOTHING = () -> { };

    /** A task in the QUEUED state with no worker behind it, as a worker's offer leaves it. */
    static SerialTask queued(Runnable body) {
        final SerialTask task = new SerialTask(body);
        task.claim(null, SerialTask.QUEUED);
        return task;
    }

    final SerialMailbox mailbox = new Mailbox();
    private final SerialTask second = queued(NOTHING);

    SerialMailboxRace() {
        final SerialTask first = queued(NOTHING);
        if (!mailbox.enqueue(first)) {
            throw new AssertionError("the first enqueue did not start a drain");
        }
        if (mailbox.pending() != 1 || mailbox.poll() != first) {
            throw new AssertionError("the drain did not take the first task");
        }
    }

    /**
     * Enqueues the second task, as {@code SerialWorker.enqueueAccepted} does.
     *
     * @return whether the producer must start a drain
     */
    boolean produce() {
        return mailbox.enqueue(second);
    }

    /**
     * The drain's exit after its one task, as {@code SerialWorker.run} does it: give the count
     * back, and go on if tasks arrived meanwhile.
     *
     * @return whether the drain went on and took the second task
     */
    boolean drainExit() {
        if (mailbox.acknowledge(1) == 0) {
            return false;
        }
        return mailbox.poll() == second;
    }

    /** The exit minus its re-check: gives the count back and stops, whatever it says. */
    boolean drainExitIgnoringRemaining() {
        mailbox.acknowledge(1);
        return false;
    }
}
