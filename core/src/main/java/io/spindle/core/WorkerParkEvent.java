package io.spindle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@value #NAME}: a worker parked, found no work, and slept; the event's duration is
 * the time parked. Committed on the worker's own thread, which is the event's thread.
 *
 * <p>Off unless a recording enables it by name (or a settings file does): a busy pool parks
 * thousands of times a second, which an always-on production recording should not pay for.
 */
@Name(WorkerParkEvent.NAME)
@Label("Worker Park")
@Category({"Spindle", "Workers"})
@Description("A worker found no work and parked; the duration is the time it was parked")
@StackTrace(false)
@Enabled(false)
final class WorkerParkEvent extends jdk.jfr.Event {

    static final String NAME = "io.spindle.WorkerPark";

    /** Never committed: only asked whether the event type is enabled, which reads no instance state. */
    private static final WorkerParkEvent PROBE = new WorkerParkEvent();

    @Label("Pool")
    String pool;

    @Label("Worker Index")
    int workerIndex;

    static boolean enabled() {
        return PROBE.isEnabled();
    }

    /** A started event for {@code worker}, or null when no recording wants it; reach it through {@link JfrEvents}. */
    static WorkerParkEvent beginIfEnabled(Worker worker) {
        if (!enabled()) {
            return null;
        }
        final WorkerParkEvent event = new WorkerParkEvent();
        event.pool = worker.pool.name();
        event.workerIndex = worker.index;
        event.begin();
        return event;
    }
}
