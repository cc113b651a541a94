package io.spindle.reactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Future;

/**
 * Access to a {@link DirectRun}'s private {@code timer}, for the tests that need to see the pool
 * timer of a task they did not arm themselves, and for the control test that replays
 * {@link DirectRun#armed} minus its re-read of the state.
 */
final class DirectRunRace {

    private DirectRunRace() {}

    /** The pool timer {@code task} holds, or null if none was armed. */
    static Future<?> timer(DirectRun task) {
        return (Future<?>) TIMER.getVolatile(task);
    }

    /**
     * Stores the timer as {@link DirectRun#armed} does, but does not re-read the state after:
     * the protocol minus its safety net.
     */
    static void armedWithoutRecheck(DirectRun task, Future<?> timer) {
        TIMER.setVolatile(task, timer);
    }

    private static final VarHandle TIMER;

    static {
        try {
            TIMER = MethodHandles.privateLookupIn(DirectRun.class, MethodHandles.lookup())
                    .findVarHandle(DirectRun.class, "timer", Future.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
