package io.spindle.reactor;

import io.spindle.core.SerialTask;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Access to the private fields of a {@link SpindleWorker} and a {@link PeriodicWorkerTask}, for
 * the tests that look at what those hold and for the control test that replays the making of a
 * Worker's periodic registry minus its re-check.
 */
final class SpindleWorkerRace {

    private SpindleWorkerRace() {}

    /** The Worker's handle of the next (pending or running) run of {@code task}, or null. */
    static SerialTask current(PeriodicWorkerTask task) {
        return (SerialTask) CURRENT.getVolatile(task);
    }

    /**
     * The first part of {@link SpindleWorker#schedulePeriodically} up to the registry: the
     * rejection check, then the making of the Worker's registry as
     * {@code SpindleWorker.periodicRegistry()} does it (CAS from null, then registration with
     * the scheduler's), but without reading the Worker's disposed flag after the CAS: the
     * protocol minus its safety net.
     *
     * @return false if the Worker rejected up front
     */
    static boolean makeRegistryWithoutRecheck(SpindleWorker worker, Lifecycle lifecycle) {
        if (worker.isDisposed()) {
            return false;
        }
        final PeriodicRegistry fresh = new PeriodicRegistry();
        if (PERIODIC.compareAndSet(worker, (PeriodicRegistry) null, fresh)) {
            lifecycle.periodic.add(fresh);
        }
        return true;
    }

    private static final VarHandle CURRENT;
    private static final VarHandle PERIODIC;

    static {
        try {
            CURRENT = MethodHandles.privateLookupIn(PeriodicWorkerTask.class, MethodHandles.lookup())
                    .findVarHandle(PeriodicWorkerTask.class, "current", SerialTask.class);
            PERIODIC = MethodHandles.privateLookupIn(SpindleWorker.class, MethodHandles.lookup())
                    .findVarHandle(SpindleWorker.class, "periodic", PeriodicRegistry.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
