package io.spindle.rxjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * The contract against {@code Schedulers.from(ForkJoinPool)}, RxJava's trampolining
 * {@code ExecutorScheduler} over a multi-threaded pool of our own: the peer that keeps the
 * Worker guarantees on a pool that is not pinned to threads.
 */
class ExecutorSchedulerContractTest extends RxSchedulerContract {

    private ForkJoinPool pool;

    @Override
    protected Scheduler scheduler() {
        // RxJava reports a task's error to RxJavaPlugins.onError and then rethrows it; the
        // contract checks the report, so the pool's own uncaught-exception printout is noise.
        pool = new ForkJoinPool(2, ForkJoinPool.defaultForkJoinWorkerThreadFactory, (thread, error) -> {}, false);
        return Schedulers.from(pool);
    }

    @Override
    protected void release(Scheduler scheduler) throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).as("ForkJoinPool terminated").isTrue();
    }

    /** A ForkJoinPool's threads are plain ForkJoinWorkerThreads, which RxJava lets block. */
    @Override
    protected boolean threadsAreNonBlocking() {
        return false;
    }

    /** Its timer re-enters {@code Worker.schedule(Runnable)}, which calls onSchedule again. */
    @Override
    protected boolean callsOnScheduleOncePerTask() {
        return false;
    }

    /** Its drain loop rethrows a task's error and never resets its work-in-progress count. */
    @Override
    protected boolean workerSurvivesTaskErrors() {
        return false;
    }
}
