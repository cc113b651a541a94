package io.spindle.core;

/**
 * A task that carries an int and does nothing when run, so that tests can tell tasks apart by
 * value and see exactly which ones a queue hands back.
 */
final class TestTask extends Task {
    final int value;

    TestTask(int value) {
        this.value = value;
    }

    /** Whether the task's intrusive link is clear, that is, it is in no queue and no Pop. */
    boolean isUnlinked() {
        return next == null;
    }

    @Override
    public void run() {}

    @Override
    public String toString() {
        return "task#" + value;
    }
}
