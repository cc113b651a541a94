package io.spindle.core;

/**
 * A task that carries a small id and does nothing when run. The jcstress tests tell tasks apart
 * by id and report sets of them as bit masks: task {@code id} is bit {@code 1 << (id - 1)}.
 */
final class StressTask extends Task {

    final int id;

    StressTask(int id) {
        this.id = id;
    }

    /** The bit standing for {@code task} in an outcome's mask; 0 for null. */
    static int bit(Task task) {
        return task == null ? 0 : 1 << (((StressTask) task).id - 1);
    }

    /** The id of {@code task}, or 0 for null (no task). */
    static int id(Task task) {
        return task == null ? 0 : ((StressTask) task).id;
    }

    @Override
    public void run() {}

    @Override
    public String toString() {
        return "task#" + id;
    }
}
