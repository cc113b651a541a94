package io.spindle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event {@value #NAME}: a worker has run the same task for longer than the pool's stall
 * threshold. Committed by the stall detector's thread (so the event's own thread and stack are
 * the detector's and are not recorded); the stalled worker and its stack are fields. (The
 * stack field is not called {@code stackTrace}: JFR reserves that name.)
 */
@Name(WorkerStallEvent.NAME)
@Label("Worker Stall")
@Category({"Spindle", "Workers"})
@Description("A worker ran the same task for longer than the pool's stall threshold")
@StackTrace(false)
final class WorkerStallEvent extends jdk.jfr.Event {

    static final String NAME = "io.spindle.WorkerStall";

    /** Never committed: only asked whether the event type is enabled, which reads no instance state. */
    private static final WorkerStallEvent PROBE = new WorkerStallEvent();

    @Label("Pool")
    String pool;

    @Label("Worker Index")
    int workerIndex;

    @Label("Worker Thread")
    Thread worker;

    @Label("Stalled For")
    @Description("How long the worker had run the task when the stall was seen, at least")
    @Timespan(Timespan.NANOSECONDS)
    long stalledFor;

    @Label("Task Class")
    Class<?> taskClass;

    @Label("Worker Stack")
    @Description("The worker thread's stack when the stall was seen, one frame per line")
    String workerStack;

    static boolean enabled() {
        return PROBE.isEnabled();
    }

    /** Records {@code stall} if a recording has the event enabled; reach it through {@link JfrEvents}. */
    static void commitIfEnabled(WorkerStall stall) {
        if (!enabled()) {
            return;
        }
        final WorkerStallEvent event = new WorkerStallEvent();
        event.pool = stall.pool();
        event.workerIndex = stall.workerIndex();
        event.worker = stall.thread();
        event.stalledFor = stall.duration().toNanos();
        event.taskClass = stall.task().getClass();
        event.workerStack = stall.formatStackTrace();
        event.commit();
    }
}
