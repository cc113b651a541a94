package io.spindle.rxjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivex.rxjava3.core.Scheduler;
import java.util.concurrent.TimeUnit;

/** The contract against a {@link SpindleRxScheduler} that owns its pool: {@code create("contract", 2)}. */
class SpindleRxSchedulerCreatedContractTest extends RxSchedulerContract {

    @Override
    protected Scheduler scheduler() {
        return SpindleRxScheduler.create("contract", 2);
    }

    @Override
    protected void release(Scheduler scheduler) throws InterruptedException {
        scheduler.shutdown();
        assertThat(((SpindleRxScheduler) scheduler).pool().awaitTermination(5, TimeUnit.SECONDS))
                .as("the scheduler's own pool terminated after shutdown()").isTrue();
    }

    @Override
    protected boolean isSpindle() {
        return true;
    }
}
