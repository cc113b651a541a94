package io.spindle.reactor;

import io.spindle.core.WorkStealingPool;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The state of the scheduler's init tests: an uninitialised {@link SpindleScheduler} that owns
 * the pool its {@code init()} builds, as {@link SpindleScheduler#factory()} makes them, with a
 * pool supplier that records every pool it builds, so the arbiter can tell which are still
 * running. The scheduler is made through its private constructor for that supplier (the
 * factory's own supplier keeps its pools to itself); the pools are the smallest there are (one
 * worker, no stall detector), since every state builds one or two.
 */
final class SchedulerInitRace {

    final SpindleScheduler scheduler;
    private final List<WorkStealingPool> built = new ArrayList<>(2);

    SchedulerInitRace() {
        final Supplier<WorkStealingPool> supplier = this::build;
        try {
            scheduler = (SpindleScheduler) NEW_SCHEDULER.invokeExact("stress-init", 1, supplier, (Lifecycle) null);
        } catch (Throwable e) {
            throw new AssertionError("could not make an uninitialised scheduler", e);
        }
    }

    private WorkStealingPool build() {
        final WorkStealingPool pool = WorkStealingPool.builder()
                .name("stress-init")
                .workers(1)
                .daemon(true)
                .stallThreshold(Duration.ZERO)
                .build();
        synchronized (built) {
            built.add(pool);
        }
        return pool;
    }

    /** How many pools the scheduler's {@code init()} calls built. */
    int built() {
        synchronized (built) {
            return built.size();
        }
    }

    /** The built pools that are not shut down. */
    List<WorkStealingPool> running() {
        final List<WorkStealingPool> running = new ArrayList<>(2);
        synchronized (built) {
            for (WorkStealingPool pool : built) {
                if (!pool.isShutdown()) {
                    running.add(pool);
                }
            }
        }
        return running;
    }

    /** Shuts every built pool down, whatever the outcome, so no state leaves threads behind. */
    void cleanUp() {
        synchronized (built) {
            for (WorkStealingPool pool : built) {
                pool.shutdownNow();
            }
        }
    }

    private static final MethodHandle NEW_SCHEDULER;

    static {
        try {
            NEW_SCHEDULER = MethodHandles.privateLookupIn(SpindleScheduler.class, MethodHandles.lookup())
                    .findConstructor(SpindleScheduler.class,
                            MethodType.methodType(void.class, String.class, int.class, Supplier.class, Lifecycle.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
