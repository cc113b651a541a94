package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.nonBlockingThreads;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/** The contract against a {@link SpindleScheduler} that owns its pool: {@code create("contract-created", 4)}. */
class SpindleSchedulerCreatedContractTest extends ReactorSchedulerContract {

    private SpindleScheduler spindle;

    @Override
    protected Scheduler scheduler() {
        spindle = SpindleScheduler.create(name(), WORKERS);
        return spindle;
    }

    @Override
    protected Scheduler freshScheduler() {
        return SpindleScheduler.factory().newParallel(WORKERS, nonBlockingThreads("contract-fresh"));
    }

    @Override
    protected String name() {
        return "contract-created";
    }

    @Override
    protected void release(Scheduler scheduler) throws InterruptedException {
        scheduler.dispose();
        assertThat(spindle.pool().awaitTermination(5, TimeUnit.SECONDS))
                .as("the scheduler's own pool terminated after dispose()").isTrue();
    }

    @Override
    protected boolean isSpindle() {
        return true;
    }

    @Override
    protected OptionalLong pendingTimers() {
        return OptionalLong.of(spindle.pool().metrics().pendingTimers());
    }
}
