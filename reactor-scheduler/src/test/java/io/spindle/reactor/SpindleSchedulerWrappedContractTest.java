package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.PROMPTLY;
import static io.spindle.reactor.ReactorTestSupport.await;
import static io.spindle.reactor.ReactorTestSupport.nonBlockingThreads;
import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.core.WorkStealingPool;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.test.StepVerifier;

/**
 * The contract against {@link SpindleScheduler#wrap} of a four-worker pool the test owns, plus
 * what only a wrapped scheduler promises: disposing it never shuts the pool down.
 */
class SpindleSchedulerWrappedContractTest extends ReactorSchedulerContract {

    private WorkStealingPool pool;

    @Override
    protected Scheduler scheduler() {
        pool = WorkStealingPool.builder().name(name()).workers(WORKERS).build();
        return SpindleScheduler.wrap(pool);
    }

    @Override
    protected Scheduler freshScheduler() {
        return SpindleScheduler.factory().newParallel(WORKERS, nonBlockingThreads("contract-fresh"));
    }

    @Override
    protected String name() {
        return "contract-wrapped";
    }

    @Override
    protected void release(Scheduler scheduler) throws InterruptedException {
        scheduler.dispose();
        assertThat(pool.isShutdown()).as("a wrapped pool is shut down by the scheduler's dispose()").isFalse();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).as("the test's pool terminated").isTrue();
    }

    @Override
    protected boolean isSpindle() {
        return true;
    }

    /**
     * DESIGN.md "Contract decisions": a wrapping scheduler never shuts the pool down; disposing it
     * only makes it reject, tasks it accepted are left to the pool, and its
     * {@code disposeGracefully()} completes at once (pinned by
     * {@link #gracefulDisposeCompletesAtOnceAndLeavesARunningTaskToThePool()}).
     */
    @Override
    protected boolean disposeReachesAcceptedTasks() {
        return false;
    }

    @Override
    protected OptionalLong pendingTimers() {
        return OptionalLong.of(pool.metrics().pendingTimers());
    }

    @Test
    void disposingAWrappedSchedulerLeavesThePoolRunning() throws Exception {
        final Scheduler scheduler = schedulerUnderTest();
        assertThat(((SpindleScheduler) scheduler).pool()).as("pool() of a wrapped scheduler").isSameAs(pool);
        scheduler.dispose();
        assertThat(scheduler.isDisposed()).isTrue();
        assertThat(pool.isShutdown()).as("pool.isShutdown() after the wrapping scheduler's dispose()").isFalse();
        final CountDownLatch ran = new CountDownLatch(1);
        pool.execute(ran::countDown);
        await(ran, "a task on the pool after the wrapping scheduler was disposed");

        final SpindleScheduler second = SpindleScheduler.wrap(pool);
        StepVerifier.create(second.disposeGracefully()).expectComplete().verify(PROMPTLY);
        assertThat(pool.isShutdown()).as("pool.isShutdown() after another wrapper's disposeGracefully()").isFalse();
        final CountDownLatch ranAgain = new CountDownLatch(1);
        pool.execute(ranAgain::countDown);
        await(ranAgain, "a task on the pool after a wrapper was disposed gracefully");
    }

    @Test
    void gracefulDisposeCompletesAtOnceAndLeavesARunningTaskToThePool() throws Exception {
        final Scheduler scheduler = schedulerUnderTest();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();
        scheduler.schedule(() -> {
            started.countDown();
            try {
                release.await(PROMPTLY.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            finished.countDown();
        });
        await(started, "the running task");
        StepVerifier.create(scheduler.disposeGracefully()).expectComplete().verify(PROMPTLY);
        scheduler.dispose();
        assertThat(scheduler.isDisposed()).isTrue();
        release.countDown();
        await(finished, "the task left running on the pool");
        assertThat(interrupted).as("the running task was interrupted by the wrapper's dispose").isFalse();
    }

    @Test
    void twoWrappersOfOnePoolAreIndependent() throws Exception {
        final SpindleScheduler other = SpindleScheduler.wrap(pool);
        try {
            schedulerUnderTest().dispose();
            final CountDownLatch ran = new CountDownLatch(2);
            other.schedule(ran::countDown);
            other.createWorker().schedule(ran::countDown);
            await(ran, "tasks on a second wrapper after the first was disposed");
        } finally {
            other.dispose();
        }
    }
}
