package io.spindle.rxjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.spindle.core.WorkStealingPool;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Spindle-only lifecycle behaviour the RxJava contract suite does not pin: an owning scheduler
 * restarts on a new pool, a wrapping one never shuts its pool down, pending tasks of a stopped
 * owning scheduler never run and report disposed, and factory arguments are checked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpindleRxSchedulerLifecycleTest {

    private static final long PROMPTLY_SECONDS = 10;

    private SpindleRxScheduler scheduler;
    private WorkStealingPool sharedPool;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.shutdown();
        }
        if (sharedPool != null) {
            sharedPool.shutdownNow();
        }
    }

    @Test
    void ownedSchedulerWorksAgainOnANewPoolAfterShutdownAndStart() throws InterruptedException {
        scheduler = SpindleRxScheduler.create("rx-restart", 2);
        final WorkStealingPool first = scheduler.pool();
        final Scheduler.Worker before = scheduler.createWorker();

        scheduler.shutdown();
        scheduler.shutdown();
        assertThat(first.isShutdown()).isTrue();
        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(scheduler.scheduleDirect(() -> { })).isSameAs(Disposable.disposed());
        assertThat(scheduler.createWorker().schedule(() -> { })).isSameAs(Disposable.disposed());

        scheduler.start();
        scheduler.start();
        assertThat(scheduler.pool()).isNotSameAs(first);
        assertThat(scheduler.isShutdown()).isFalse();
        assertThat(before.isDisposed()).as("a Worker from before the shutdown stays dead").isTrue();
        assertThat(before.schedule(() -> { })).isSameAs(Disposable.disposed());

        final CountDownLatch ran = new CountDownLatch(2);
        scheduler.scheduleDirect(ran::countDown);
        scheduler.createWorker().schedule(ran::countDown, 1, TimeUnit.MILLISECONDS);
        assertThat(ran.await(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void ownedSchedulerRestartsAfterItsPoolWasShutDownDirectly() throws InterruptedException {
        scheduler = SpindleRxScheduler.create("rx-external", 1);
        final WorkStealingPool first = scheduler.pool();
        first.shutdown();
        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(scheduler.scheduleDirect(() -> { })).isSameAs(Disposable.disposed());

        scheduler.start();

        assertThat(scheduler.pool()).isNotSameAs(first);
        final CountDownLatch ran = new CountDownLatch(1);
        scheduler.scheduleDirect(ran::countDown);
        assertThat(ran.await(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shutdownOfOwnedSchedulerDisposesPendingTasksWhichNeverRun() throws InterruptedException {
        scheduler = SpindleRxScheduler.create("rx-pending", 1);
        final CountDownLatch blocking = new CountDownLatch(1);
        final CountDownLatch started = new CountDownLatch(1);
        scheduler.scheduleDirect(() -> {
            started.countDown();
            try {
                blocking.await();
            } catch (InterruptedException expected) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(started.await(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isTrue();
        final AtomicInteger ran = new AtomicInteger();
        final Disposable queued = scheduler.scheduleDirect(ran::incrementAndGet);
        final Disposable delayed = scheduler.scheduleDirect(ran::incrementAndGet, 1, TimeUnit.HOURS);
        final Disposable periodic = scheduler.schedulePeriodicallyDirect(ran::incrementAndGet, 1, 1, TimeUnit.HOURS);
        final Scheduler.Worker worker = scheduler.createWorker();
        final Disposable onWorker = worker.schedule(ran::incrementAndGet);
        final Disposable delayedOnWorker = worker.schedule(ran::incrementAndGet, 1, TimeUnit.HOURS);

        scheduler.shutdown();

        assertThat(scheduler.pool().awaitTermination(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(0);
        assertThat(queued.isDisposed()).isTrue();
        assertThat(delayed.isDisposed()).isTrue();
        assertThat(periodic.isDisposed()).isTrue();
        assertThat(onWorker.isDisposed()).isTrue();
        assertThat(delayedOnWorker.isDisposed()).isTrue();
        assertThat(worker.isDisposed()).isTrue();
    }

    @Test
    void wrappingSchedulerNeverShutsThePoolDown() throws InterruptedException {
        sharedPool = WorkStealingPool.builder().name("rx-shared").workers(2).build();
        scheduler = SpindleRxScheduler.wrap(sharedPool);
        assertThat(scheduler.pool()).isSameAs(sharedPool);
        assertThat(scheduler.ownsPool()).isFalse();
        final Scheduler.Worker before = scheduler.createWorker();
        final AtomicInteger ticks = new AtomicInteger();
        final Disposable periodic = scheduler.schedulePeriodicallyDirect(ticks::incrementAndGet, 0, 1, TimeUnit.MILLISECONDS);

        scheduler.shutdown();

        assertThat(sharedPool.isShutdown()).isFalse();
        assertThat(scheduler.scheduleDirect(() -> { })).isSameAs(Disposable.disposed());
        assertThat(scheduler.scheduleDirect(() -> { }, 1, TimeUnit.MILLISECONDS)).isSameAs(Disposable.disposed());
        assertThat(scheduler.schedulePeriodicallyDirect(() -> { }, 1, 1, TimeUnit.MILLISECONDS)).isSameAs(Disposable.disposed());
        assertThat(before.schedule(() -> { })).isSameAs(Disposable.disposed());
        assertThat(before.schedulePeriodically(() -> { }, 1, 1, TimeUnit.MILLISECONDS)).isSameAs(Disposable.disposed());
        assertThat(before.isDisposed()).isTrue();
        awaitTrue(periodic::isDisposed, "the periodic task to stop at its next run");
        final int stoppedAt = ticks.get();
        Thread.sleep(20);
        assertThat(ticks).hasValue(stoppedAt);

        final CountDownLatch plain = new CountDownLatch(1);
        sharedPool.execute(plain::countDown);
        assertThat(plain.await(PROMPTLY_SECONDS, TimeUnit.SECONDS)).as("the pool still runs its other users' tasks").isTrue();

        scheduler.start();
        assertThat(scheduler.pool()).isSameAs(sharedPool);
        assertThat(before.schedule(() -> { })).as("old Workers stay dead after start()").isSameAs(Disposable.disposed());
        final CountDownLatch again = new CountDownLatch(2);
        scheduler.scheduleDirect(again::countDown);
        scheduler.createWorker().schedule(again::countDown);
        assertThat(again.await(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void wrappingAShutDownPoolRejects() {
        sharedPool = WorkStealingPool.builder().name("rx-dead").workers(1).build();
        sharedPool.shutdown();
        scheduler = SpindleRxScheduler.wrap(sharedPool);
        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(scheduler.scheduleDirect(() -> { })).isSameAs(Disposable.disposed());
        assertThat(scheduler.scheduleDirect(() -> { }, 1, TimeUnit.SECONDS)).isSameAs(Disposable.disposed());
        assertThat(scheduler.schedulePeriodicallyDirect(() -> { }, 1, 1, TimeUnit.SECONDS)).isSameAs(Disposable.disposed());
        assertThat(scheduler.createWorker().schedule(() -> { })).isSameAs(Disposable.disposed());
    }

    @Test
    void createWorkersGivesEachRailItsOwnWorker() {
        scheduler = SpindleRxScheduler.create("rx-rails", 2);
        final Scheduler.Worker[] workers = new Scheduler.Worker[4];
        scheduler.createWorkers(workers.length, (index, worker) -> workers[index] = worker);
        assertThat(workers).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void factoryArgumentsAreChecked() {
        assertThatThrownBy(() -> SpindleRxScheduler.create(null, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> SpindleRxScheduler.create(" ", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> SpindleRxScheduler.create("x", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers").hasMessageContaining("1.." + WorkStealingPool.MAX_WORKERS);
        assertThatThrownBy(() -> SpindleRxScheduler.create("x", WorkStealingPool.MAX_WORKERS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> SpindleRxScheduler.wrap(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("pool");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(PROMPTLY_SECONDS).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }
}
