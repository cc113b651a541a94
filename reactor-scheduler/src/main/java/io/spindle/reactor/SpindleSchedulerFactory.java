package io.spindle.reactor;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link Schedulers.Factory} behind {@link SpindleScheduler#factory()}: Spindle for
 * {@code newParallel} and {@code newSingle}, Reactor's defaults for the rest. See
 * {@link SpindleScheduler#factory()} for what it makes and what installing it does.
 */
final class SpindleSchedulerFactory implements Schedulers.Factory {

    static final SpindleSchedulerFactory INSTANCE = new SpindleSchedulerFactory();

    private SpindleSchedulerFactory() {}

    /**
     * An uninitialised Spindle scheduler of {@code parallelism} workers on threads from
     * {@code threadFactory}.
     *
     * @throws IllegalArgumentException if {@code parallelism} is not in 1..32767
     * @throws NullPointerException if {@code threadFactory} is null
     */
    @Override
    public Scheduler newParallel(int parallelism, ThreadFactory threadFactory) {
        Objects.requireNonNull(threadFactory, "threadFactory");
        SpindleScheduler.checkWorkers(parallelism);
        return SpindleScheduler.uninitialised(nameOf(threadFactory), parallelism, threadFactory, true);
    }

    /**
     * An uninitialised Spindle scheduler of one worker, without a LIFO slot, on a thread from
     * {@code threadFactory}.
     *
     * @throws NullPointerException if {@code threadFactory} is null
     */
    @Override
    public Scheduler newSingle(ThreadFactory threadFactory) {
        Objects.requireNonNull(threadFactory, "threadFactory");
        return SpindleScheduler.uninitialised(nameOf(threadFactory), 1, threadFactory, false);
    }

    /**
     * The thread name prefix of a Reactor thread factory, which exposes it as a
     * {@code Supplier<String>} (unofficial, but stable: reactor-core #3285), else
     * {@value SpindleScheduler#DEFAULT_NAME}.
     */
    static String nameOf(ThreadFactory threadFactory) {
        if (threadFactory instanceof Supplier<?> supplier && supplier.get() instanceof String prefix && !prefix.isBlank()) {
            return prefix;
        }
        return SpindleScheduler.DEFAULT_NAME;
    }

    @Override
    public String toString() {
        return "SpindleScheduler.factory()";
    }
}
