package io.spindle.rxjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivex.rxjava3.core.Scheduler;
import io.spindle.core.WorkStealingPool;
import java.util.concurrent.TimeUnit;

/** The contract against {@link SpindleRxScheduler#wrap} of a two-worker pool the test owns. */
class SpindleRxSchedulerWrappedContractTest extends RxSchedulerContract {

    private WorkStealingPool pool;

    @Override
    protected Scheduler scheduler() {
        pool = WorkStealingPool.builder().name("contract-wrapped").workers(2).build();
        return SpindleRxScheduler.wrap(pool);
    }

    @Override
    protected void release(Scheduler scheduler) throws InterruptedException {
        scheduler.shutdown();
        assertThat(pool.isShutdown()).as("a wrapped pool is shut down by the scheduler's shutdown()").isFalse();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).as("the test's pool terminated").isTrue();
    }

    @Override
    protected boolean isSpindle() {
        return true;
    }
}
