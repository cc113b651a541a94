package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.await;
import static io.spindle.reactor.ReactorTestSupport.awaitIgnoringInterrupts;
import static io.spindle.reactor.ReactorTestSupport.nonBlockingThreads;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The contract against a {@link SpindleScheduler} that owns its pool:
 * {@code create("contract-created", 4)}; plus what only an owning scheduler promises about its
 * pool.
 */
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

    /** DESIGN.md: a scheduler made by {@code create} owns its pool, and {@code dispose()} is the pool's {@code shutdownNow()}. */
    @Test
    void disposeShutsTheOwnedPoolDown() throws Exception {
        spindle.dispose();
        assertThat(spindle.pool().isShutdown()).as("pool().isShutdown() after dispose()").isTrue();
        assertThat(spindle.pool().awaitTermination(5, TimeUnit.SECONDS)).as("the pool terminated after dispose()").isTrue();
    }

    /**
     * {@code disposeGracefully()} is the pool's {@code shutdown()} plus waiting: queued and
     * delayed tasks still run, periodic ones stop, and it completes once the pool has terminated.
     */
    @Test
    void gracefulDisposeLetsQueuedTasksRunAndCompletesWhenThePoolHasTerminated() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicInteger ran = new AtomicInteger();
        final Scheduler.Worker worker = worker();
        worker.schedule(() -> {
            started.countDown();
            awaitIgnoringInterrupts(release);
        });
        await(started, "the worker's blocking task");
        for (int i = 0; i < 100; i++) {
            worker.schedule(ran::incrementAndGet);
        }
        final CountDownLatch delayedRan = new CountDownLatch(2);
        spindle.schedule(delayedRan::countDown, 50, TimeUnit.MILLISECONDS);
        worker.schedule(delayedRan::countDown, 50, TimeUnit.MILLISECONDS);
        final AtomicInteger periodicRuns = new AtomicInteger();
        spindle.schedulePeriodically(periodicRuns::incrementAndGet, 1, 1, TimeUnit.HOURS);
        final Mono<Void> graceful = spindle.disposeGracefully();
        final CountDownLatch completed = new CountDownLatch(1);
        graceful.subscribe(null, error -> {}, completed::countDown);
        assertThat(completed.getCount()).as("disposeGracefully() completed while a task was blocked (0 = completed)").isEqualTo(1);
        release.countDown();
        await(completed, "disposeGracefully() once the blocked task returned");
        assertThat(spindle.pool().isTerminated()).as("pool().isTerminated() when disposeGracefully() completed").isTrue();
        assertThat(ran.get()).as("tasks queued before disposeGracefully() that ran").isEqualTo(100);
        assertThat(delayedRan.getCount()).as("delayed tasks accepted before disposeGracefully() still to run").isZero();
        assertThat(periodicRuns.get()).as("runs of a periodic task, which a graceful dispose stops at once").isZero();
    }

    @Test
    void createWithoutArgumentsHasAThreadPerProcessor() {
        final SpindleScheduler defaults = SpindleScheduler.create();
        try {
            final int processors = Runtime.getRuntime().availableProcessors();
            assertThat(defaults.pool().workerCount()).as("workers of SpindleScheduler.create()").isEqualTo(processors);
            assertThat(Scannable.from(defaults).scan(Scannable.Attr.CAPACITY)).isEqualTo(processors);
            assertThat(defaults.isDisposed()).as("isDisposed() of a new scheduler").isFalse();
            assertThat(defaults.toString()).startsWith("spindle(" + processors + ",\"spindle");
        } finally {
            defaults.dispose();
        }
    }
}
