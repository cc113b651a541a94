package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.PROMPTLY;
import static io.spindle.reactor.ReactorTestSupport.await;
import static io.spindle.reactor.ReactorTestSupport.nonBlockingThreads;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The contract against Spindle installed as Reactor's {@code Schedulers.Factory}: the scheduler
 * under test is {@code Schedulers.newParallel("contract-factory", 4)}, built by Reactor with its
 * own thread factory. Plus what only the factory promises: {@code Schedulers.parallel()} and
 * Reactor's default timers become Spindle.
 */
class SpindleSchedulerFactoryContractTest extends ReactorSchedulerContract {

    @Override
    protected Scheduler scheduler() {
        Schedulers.setFactory(SpindleScheduler.factory());
        return Schedulers.newParallel(name(), WORKERS);
    }

    @Override
    protected Scheduler freshScheduler() {
        return SpindleScheduler.factory().newParallel(WORKERS, nonBlockingThreads("contract-fresh"));
    }

    @Override
    protected String name() {
        return "contract-factory";
    }

    @Override
    protected void release(Scheduler scheduler) {
        try {
            scheduler.dispose();
        } finally {
            Schedulers.resetFactory();
        }
    }

    @Override
    protected boolean isSpindle() {
        return true;
    }

    @Override
    protected OptionalLong pendingTimers() {
        return OptionalLong.of(((SpindleScheduler) schedulerUnderTest()).pool().metrics().pendingTimers());
    }

    @Test
    void newParallelUnderTheFactoryIsSpindleOnReactorsNonBlockingThreads() throws Exception {
        assertThat(schedulerUnderTest()).isInstanceOf(SpindleScheduler.class);
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final CountDownLatch ran = new CountDownLatch(1);
        schedulerUnderTest().schedule(() -> {
            thread.set(Thread.currentThread());
            ran.countDown();
        });
        await(ran, "a task on newParallel under the factory");
        assertThat(thread.get()).as("the thread Reactor's thread factory made").isInstanceOf(NonBlocking.class);
        assertThat(thread.get().getName()).as("its name").startsWith(name() + "-");
        // Schedulers.newParallel(name, n) asks Reactor's factory for non-daemon threads; parallel() for daemons.
        assertThat(thread.get().isDaemon()).as("daemon, which newParallel(name, n) does not ask for").isFalse();
    }

    @Test
    void parallelUnderTheFactoryIsSpindle() {
        final Scheduler parallel = Schedulers.parallel();
        assertThat(parallel).as("Schedulers.parallel() is Reactor's cache around the factory's scheduler")
                .isInstanceOf(Supplier.class);
        final Object cached = ((Supplier<?>) parallel).get();
        assertThat(cached).as("the scheduler behind Schedulers.parallel()").isInstanceOf(SpindleScheduler.class);
        assertThat(cached.toString()).as("its toString()").startsWith("spindle(").contains("\"parallel\"");
        final Thread thread = Mono.fromCallable(Thread::currentThread)
                .subscribeOn(parallel)
                .block(PROMPTLY);
        assertThat(thread).as("the thread a subscribeOn(parallel()) ran on").isInstanceOf(NonBlocking.class);
        assertThat(thread.getName()).as("its name").startsWith("parallel-");
        assertThat(thread.isDaemon()).as("daemon, as Reactor's parallel() threads are").isTrue();
        final String timerThread = Mono.delay(java.time.Duration.ofMillis(1))
                .map(tick -> Thread.currentThread().getName())
                .block(PROMPTLY);
        assertThat(timerThread).as("the thread Mono.delay's default timer fired on").startsWith("parallel-");
    }
}
