package io.spindle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@value #NAME}: a worker (the thief, whose thread commits the event) took tasks from
 * another worker's local queue or LIFO slot.
 *
 * <p>Off unless a recording enables it by name (or a settings file does): a busy pool steals
 * thousands of times a second, which an always-on production recording should not pay for.
 */
@Name(StealEvent.NAME)
@Label("Steal")
@Category({"Spindle", "Workers"})
@Description("A worker took tasks from another worker's local queue or LIFO slot")
@StackTrace(false)
@Enabled(false)
final class StealEvent extends jdk.jfr.Event {

    static final String NAME = "io.spindle.Steal";

    /** Never committed: only asked whether the event type is enabled, which reads no instance state. */
    private static final StealEvent PROBE = new StealEvent();

    @Label("Pool")
    String pool;

    @Label("Thief")
    int thief;

    @Label("Victim")
    int victim;

    @Label("Victim Thread")
    Thread victimThread;

    @Label("Tasks")
    int count;

    /** Whether a recording wants the event; ask through {@link JfrEvents#stealEnabled()}. */
    static boolean enabled() {
        return PROBE.isEnabled();
    }

    /** Records a steal; call only when {@link #enabled()}. */
    static void commit(Worker thief, Worker victim, long count) {
        final StealEvent event = new StealEvent();
        event.pool = thief.pool.name();
        event.thief = thief.index;
        event.victim = victim.index;
        event.victimThread = victim.thread;
        event.count = (int) count;
        event.commit();
    }
}
