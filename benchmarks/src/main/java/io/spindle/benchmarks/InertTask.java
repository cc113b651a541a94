package io.spindle.benchmarks;

import io.spindle.core.Task;

/** A task that is only ever moved between queues by the queue benchmarks, never run. */
final class InertTask extends Task {
    @Override
    public void run() {
        throw new AssertionError("queue benchmarks move tasks and never run them");
    }
}
