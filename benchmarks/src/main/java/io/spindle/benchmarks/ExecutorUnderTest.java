package io.spindle.benchmarks;

import io.reactivex.rxjava3.core.Scheduler;
import io.spindle.core.WorkStealingPool;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.ExecutorsKt;
import reactor.core.scheduler.Schedulers;

/**
 * Every executor the executor benchmarks compare, named by the value of their {@code executor}
 * parameter ({@link ExecutorState#executor}).
 *
 * <p>Each starts with as many threads as the machine has processors, except where the peer
 * decides for itself: the common pool runs {@code nproc - 1} workers, and
 * {@code Dispatchers.Default} {@code max(2, nproc)}. The shared ones (common pool, RxJava
 * computation, {@code Dispatchers.Default}) are used as they are and never shut down.
 */
public enum ExecutorUnderTest {

    /** Spindle's {@code WorkStealingPool} with one worker per processor, fed through {@code execute}. */
    SPINDLE("spindle") {
        @Override
        ExecutorHandle start() {
            final WorkStealingPool pool = WorkStealingPool.builder().name("bench").workers(processors()).build();
            return handle(pool::execute, () -> shutdownNowAndAwait(pool));
        }
    },

    /** Reactor's {@code Schedulers.newParallel("bench", nproc)}, fed through {@code schedule}. */
    REACTOR_PARALLEL("reactorParallel") {
        @Override
        ExecutorHandle start() {
            final reactor.core.scheduler.Scheduler scheduler = Schedulers.newParallel("bench", processors());
            return handle(scheduler::schedule, scheduler::dispose);
        }
    },

    /** RxJava's shared {@code Schedulers.computation()}, fed through {@code scheduleDirect}. */
    RX_COMPUTATION("rxComputation") {
        @Override
        ExecutorHandle start() {
            final Scheduler scheduler = io.reactivex.rxjava3.schedulers.Schedulers.computation();
            return handle(scheduler::scheduleDirect, () -> {});
        }
    },

    /** A {@code ForkJoinPool} of nproc workers in async (FIFO) mode, as event-style code uses it. */
    FJP_ASYNC("fjpAsync") {
        @Override
        ExecutorHandle start() {
            final ForkJoinPool pool =
                    new ForkJoinPool(processors(), ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
            return handle(pool::execute, () -> shutdownNowAndAwait(pool));
        }
    },

    /** The shared {@code ForkJoinPool.commonPool()}. */
    FJP_COMMON("fjpCommon") {
        @Override
        ExecutorHandle start() {
            final ForkJoinPool pool = ForkJoinPool.commonPool();
            return handle(pool::execute, () -> {});
        }
    },

    /** A fixed {@code ThreadPoolExecutor} of nproc threads over an unbounded {@code LinkedBlockingQueue}. */
    THREAD_POOL("threadPool") {
        @Override
        ExecutorHandle start() {
            final ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    processors(), processors(), 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
            pool.prestartAllCoreThreads();
            return handle(pool::execute, () -> shutdownNowAndAwait(pool));
        }
    },

    /** kotlinx.coroutines' shared {@code Dispatchers.Default}, as an {@code Executor} ({@code asExecutor}). */
    KOTLINX_DEFAULT("kotlinxDefault") {
        @Override
        ExecutorHandle start() {
            final Executor executor = ExecutorsKt.asExecutor(Dispatchers.getDefault());
            return handle(executor::execute, () -> {});
        }
    },

    /** Runs every task on its submitter's thread, trampolined: see {@link TrampolineExecutor}. */
    IMMEDIATE("immediate") {
        @Override
        ExecutorHandle start() {
            return new TrampolineExecutor();
        }
    };

    /** How long closing waits for an owned pool's threads to end. */
    private static final long TERMINATION_TIMEOUT_SECONDS = 10;

    private final String paramValue;

    ExecutorUnderTest(String paramValue) {
        this.paramValue = paramValue;
    }

    /**
     * Starts a fresh instance (or takes the shared one) for one benchmark trial.
     *
     * @throws UnsupportedOperationException if this executor cannot be built yet
     */
    abstract ExecutorHandle start();

    /** The value of the {@code executor} parameter that selects this executor. */
    public String paramValue() {
        return paramValue;
    }

    /**
     * The executor selected by an {@code executor} parameter value.
     *
     * @throws IllegalArgumentException if no executor has that value
     */
    public static ExecutorUnderTest forParam(String paramValue) {
        for (ExecutorUnderTest executor : values()) {
            if (executor.paramValue.equals(paramValue)) {
                return executor;
            }
        }
        throw new IllegalArgumentException("executor must be one of "
                + Arrays.stream(values()).map(ExecutorUnderTest::paramValue).toList() + ", was " + paramValue);
    }

    static int processors() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static ExecutorHandle handle(Executor submit, Runnable close) {
        return new ExecutorHandle() {
            @Override
            public void execute(Runnable task) {
                submit.execute(task);
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }

    /**
     * Stops an owned pool at once (the trial is over, so queued tasks no longer matter) and waits,
     * bounded, for its threads to end so they do not compete with whatever runs next in this JVM.
     */
    static void shutdownNowAndAwait(ExecutorService pool) {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(TERMINATION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(pool + " did not terminate within " + TERMINATION_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
