package io.spindle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@value #NAME}: a worker's local queue was full and sent its newer half, plus the
 * task being pushed, to the inject queue. Committed on the owning worker's thread, which is the
 * event's thread (and names the pool and worker, {@code <pool>-worker-<i>} by default).
 */
@Name(OverflowEvent.NAME)
@Label("Local Queue Overflow")
@Category({"Spindle", "Workers"})
@Description("A full local queue moved half of itself to the inject queue")
@StackTrace(false)
final class OverflowEvent extends jdk.jfr.Event {

    static final String NAME = "io.spindle.Overflow";

    /** Never committed: only asked whether the event type is enabled, which reads no instance state. */
    private static final OverflowEvent PROBE = new OverflowEvent();

    @Label("Tasks Moved")
    int tasks;

    @Label("Queue Capacity")
    int capacity;

    static boolean enabled() {
        return PROBE.isEnabled();
    }

    /** Records an overflow if a recording has the event enabled; reach it through {@link JfrEvents}. */
    static void commitIfEnabled(int tasks, int capacity) {
        if (!enabled()) {
            return;
        }
        final OverflowEvent event = new OverflowEvent();
        event.tasks = tasks;
        event.capacity = capacity;
        event.commit();
    }
}
