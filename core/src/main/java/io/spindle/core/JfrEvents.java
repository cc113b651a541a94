package io.spindle.core;

import jdk.jfr.FlightRecorder;

/**
 * The one way into Spindle's JFR events ({@link WorkerStallEvent}, {@link WorkerParkEvent},
 * {@link StealEvent}, {@link OverflowEvent}), so that they cost one flag check while nothing
 * records.
 *
 * <p>Two gates. First {@link FlightRecorder#isInitialized()}, a static volatile read: false
 * until some recording has been started in this JVM. Only behind it is an event class touched:
 * on JDK 17 initializing an event class registers it with JFR, which the first time also
 * initializes JFR's metadata, a few hundred milliseconds that must not land on a worker of an
 * application that never records. Then the event type's own {@code isEnabled()}, asked of a
 * static instance that is never committed (it reads only the event type's state): true while a
 * recording has the event enabled. Only then is an event allocated.
 */
final class JfrEvents {

    private JfrEvents() {}

    /** Whether a steal should be recorded with {@link StealEvent#commit}. */
    static boolean stealEnabled() {
        return FlightRecorder.isInitialized() && StealEvent.enabled();
    }

    /** A started park event for {@code worker}, or null when none is wanted. */
    static WorkerParkEvent beginPark(Worker worker) {
        return FlightRecorder.isInitialized() ? WorkerParkEvent.beginIfEnabled(worker) : null;
    }

    /** Records a local-queue overflow if wanted. */
    static void overflow(int tasks, int capacity) {
        if (FlightRecorder.isInitialized()) {
            OverflowEvent.commitIfEnabled(tasks, capacity);
        }
    }

    /** Records a stall if wanted. */
    static void stall(WorkerStall stall) {
        if (FlightRecorder.isInitialized()) {
            WorkerStallEvent.commitIfEnabled(stall);
        }
    }
}
