package io.spindle.benchmarks;

import io.spindle.core.WorkStealingPool;
import io.spindle.reactor.SpindleScheduler;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.ExecutorsKt;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every Reactor {@link Scheduler} that {@link ReactorSchedulerBenchmark} compares, named by the
 * value of its {@code executor} parameter.
 *
 * <p>Each has as many threads as the machine has processors, except where the peer decides for
 * itself ({@code Dispatchers.Default}: {@code max(2, nproc)}; bounded elastic: up to ten per
 * processor, on demand). Each trial gets a fresh instance, except for the shared
 * {@code Dispatchers.Default}, which is used as it is and never shut down.
 */
enum ReactorSchedulerUnderTest {

    /** {@code SpindleScheduler.create("bench", nproc)}: serial Workers on a pool it owns. */
    SPINDLE("spindle", true) {
        @Override
        Started start() {
            final SpindleScheduler scheduler = SpindleScheduler.create("bench", processors());
            final WorkStealingPool pool = scheduler.pool();
            return new Started(scheduler, pool, () -> {
                scheduler.dispose();
                ExecutorUnderTest.shutdownNowAndAwait(pool);
            });
        }
    },

    /** {@code Schedulers.newParallel("bench", nproc)}: Reactor's default, Workers pinned to threads. */
    REACTOR_PARALLEL("reactorParallel", true) {
        @Override
        Started start() {
            final Scheduler scheduler = Schedulers.newParallel("bench", processors());
            return new Started(scheduler, null, scheduler::dispose);
        }
    },

    /**
     * {@code Schedulers.fromExecutorService} over a {@code ForkJoinPool} of its own, nproc
     * workers, async (FIFO) mode. Its own rather than the common pool: the common pool has
     * {@code nproc - 1} workers (one on a two-core machine) and is shared with anything else in
     * the JVM; its own pool has the same thread count as every other subject, and async mode is
     * what {@code ForkJoinPool} recommends for event-style tasks that are never joined (the
     * {@code fjpAsync} subject of the other tables). Not time-capable: a {@code ForkJoinPool} is
     * no {@code ScheduledExecutorService}, so Reactor rejects delays on it.
     */
    FJP_ASYNC("fjpAsync", false) {
        @Override
        Started start() {
            final ForkJoinPool pool = new ForkJoinPool(processors(), ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
            final Scheduler scheduler = Schedulers.fromExecutorService(pool, "bench");
            return new Started(scheduler, null, () -> {
                scheduler.dispose();
                ExecutorUnderTest.shutdownNowAndAwait(pool);
            });
        }
    },

    /**
     * {@code Schedulers.fromExecutor(ExecutorsKt.asExecutor(Dispatchers.getDefault()))}: the
     * shared kotlinx.coroutines dispatcher as a plain {@code Executor}. Not time-capable.
     */
    KOTLINX_DEFAULT("kotlinxDefault", false) {
        @Override
        Started start() {
            final Scheduler scheduler = Schedulers.fromExecutor(ExecutorsKt.asExecutor(Dispatchers.getDefault()));
            return new Started(scheduler, null, scheduler::dispose);
        }
    },

    /**
     * {@code Schedulers.newBoundedElastic} with {@code Schedulers.boundedElastic()}'s defaults
     * (ten threads per processor, 100,000 queued tasks per thread), owned by the benchmark.
     */
    BOUNDED_ELASTIC("boundedElastic", true) {
        @Override
        Started start() {
            final Scheduler scheduler = Schedulers.newBoundedElastic(Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE,
                    Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE, "bench");
            return new Started(scheduler, null, scheduler::dispose);
        }
    };

    /**
     * A started subject.
     *
     * @param scheduler the scheduler to run the pipelines on
     * @param pool Spindle's pool behind it, whose metrics the benchmark reads; null for a peer
     * @param stop stops whatever the subject owns
     */
    record Started(Scheduler scheduler, WorkStealingPool pool, Runnable stop) implements AutoCloseable {
        @Override
        public void close() {
            stop.run();
        }
    }

    private final String paramValue;
    private final boolean timeCapable;

    ReactorSchedulerUnderTest(String paramValue, boolean timeCapable) {
        this.paramValue = paramValue;
        this.timeCapable = timeCapable;
    }

    /** Starts a fresh instance (or takes the shared one) for one trial. */
    abstract Started start();

    /** The value of the {@code executor} parameter that selects this subject. */
    String paramValue() {
        return paramValue;
    }

    /** Whether Reactor accepts delayed tasks on it ({@code Mono.delay}). */
    boolean timeCapable() {
        return timeCapable;
    }

    /** The parameter values of every subject, in declaration order. */
    static List<String> paramValues() {
        return Arrays.stream(values()).map(ReactorSchedulerUnderTest::paramValue).toList();
    }

    /** The parameter values of the time-capable subjects, in declaration order. */
    static List<String> timeCapableParamValues() {
        return Arrays.stream(values()).filter(ReactorSchedulerUnderTest::timeCapable).map(ReactorSchedulerUnderTest::paramValue).toList();
    }

    /**
     * The subject selected by an {@code executor} parameter value.
     *
     * @throws IllegalArgumentException if no subject has that value
     */
    static ReactorSchedulerUnderTest forParam(String paramValue) {
        for (ReactorSchedulerUnderTest subject : values()) {
            if (subject.paramValue.equals(paramValue)) {
                return subject;
            }
        }
        throw new IllegalArgumentException("executor must be one of " + paramValues() + ", was " + paramValue);
    }

    private static int processors() {
        return Runtime.getRuntime().availableProcessors();
    }
}
