package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.await;
import static io.spindle.reactor.ReactorTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.core.WorkStealingPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The lifecycle of {@link SpindleScheduler}: init, dispose and disposeGracefully on owned and
 * wrapped pools, what is rejected afterwards and with which exception, and argument checks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpindleSchedulerLifecycleTest {

    private final List<Scheduler> schedulers = new ArrayList<>();
    private final List<WorkStealingPool> pools = new ArrayList<>();

    @AfterEach
    void disposeAll() {
        schedulers.forEach(Scheduler::dispose);
        pools.forEach(WorkStealingPool::shutdownNow);
    }

    private SpindleScheduler track(SpindleScheduler scheduler) {
        schedulers.add(scheduler);
        return scheduler;
    }

    private WorkStealingPool pool(String name, int workers) {
        final WorkStealingPool pool = WorkStealingPool.builder().name(name).workers(workers).build();
        pools.add(pool);
        return pool;
    }

    /** A factory-made scheduler before Reactor's init(). */
    private SpindleScheduler uninitialised() {
        return track((SpindleScheduler) SpindleScheduler.factory().newParallel(2, Executors.defaultThreadFactory()));
    }

    @Test
    void createdSchedulerIsReadyAndInitAgainIsANoOp() throws InterruptedException {
        final SpindleScheduler scheduler = track(SpindleScheduler.create("ready", 2));
        final WorkStealingPool pool = scheduler.pool();

        scheduler.init();
        scheduler.init();

        assertThat(scheduler.pool()).isSameAs(pool);
        assertThat(scheduler.isDisposed()).isFalse();
        assertThat(scheduler.ownsPool()).isTrue();
        assertThat(pool.workerCount()).isEqualTo(2);
        assertThat(pool.name()).isEqualTo("ready");
        final CountDownLatch ran = new CountDownLatch(1);
        scheduler.schedule(ran::countDown);
        await(ran, "a task on a created scheduler");
    }

    @Test
    void createWithDefaultsHasOneWorkerPerProcessorNamedSpindle() {
        final SpindleScheduler scheduler = track(SpindleScheduler.create());
        assertThat(scheduler.pool().workerCount()).isEqualTo(Math.min(WorkStealingPool.MAX_WORKERS, Runtime.getRuntime().availableProcessors()));
        assertThat(scheduler.pool().name()).isEqualTo("spindle");
    }

    @Test
    void factorySchedulerIsNotDisposedBeforeInitAndBuildsItsPoolThere() throws InterruptedException {
        final SpindleScheduler scheduler = uninitialised();
        assertThat(scheduler.isDisposed()).isFalse();
        assertThatThrownBy(scheduler::pool).isInstanceOf(IllegalStateException.class).hasMessageContaining("not initialised");
        assertThatThrownBy(() -> scheduler.schedule(() -> { })).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("not initialised");
        assertThatThrownBy(scheduler::createWorker).isInstanceOf(RejectedExecutionException.class);

        scheduler.init();
        final WorkStealingPool pool = scheduler.pool();
        scheduler.init();

        assertThat(scheduler.pool()).isSameAs(pool);
        assertThat(pool.workerCount()).isEqualTo(2);
        final CountDownLatch ran = new CountDownLatch(1);
        scheduler.createWorker().schedule(ran::countDown);
        await(ran, "a Worker task after init()");
    }

    @Test
    void racingInitsBuildOnePool() throws Exception {
        final SpindleScheduler scheduler = uninitialised();
        final ExecutorService racers = Executors.newFixedThreadPool(4);
        try {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Future<WorkStealingPool>> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                seen.add(racers.submit(() -> {
                    start.await();
                    scheduler.init();
                    return scheduler.pool();
                }));
            }
            start.countDown();
            for (Future<WorkStealingPool> pool : seen) {
                assertThat(pool.get(10, TimeUnit.SECONDS)).isSameAs(scheduler.pool());
            }
            assertThat(scheduler.pool().isShutdown()).isFalse();
        } finally {
            racers.shutdownNow();
        }
    }

    @Test
    void initAfterDisposeThrowsWhicheverWayItWasDisposed() {
        final SpindleScheduler forced = track(SpindleScheduler.create("forced", 1));
        forced.dispose();
        assertThatThrownBy(forced::init).isInstanceOf(IllegalStateException.class).hasMessage("Initializing a disposed scheduler is not permitted");

        final SpindleScheduler graceful = track(SpindleScheduler.create("graceful", 1));
        graceful.disposeGracefully().block(Duration.ofSeconds(10));
        assertThatThrownBy(graceful::init).isInstanceOf(IllegalStateException.class).hasMessage("Initializing a disposed scheduler is not permitted");

        final SpindleScheduler neverInitialised = uninitialised();
        neverInitialised.dispose();
        assertThat(neverInitialised.isDisposed()).isTrue();
        assertThatThrownBy(neverInitialised::init).isInstanceOf(IllegalStateException.class).hasMessage("Initializing a disposed scheduler is not permitted");
        assertThatThrownBy(neverInitialised::pool).isInstanceOf(IllegalStateException.class).hasMessageContaining("disposed before init()");

        final SpindleScheduler wrapped = track(SpindleScheduler.wrap(pool("wrapped-init", 1)));
        wrapped.dispose();
        assertThatThrownBy(wrapped::init).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @SuppressWarnings("deprecation")
    void startIsInitAndDoesNotRestart() {
        final SpindleScheduler scheduler = track(SpindleScheduler.create("no-restart", 1));
        assertThatNoException().isThrownBy(scheduler::start);
        scheduler.dispose();
        assertThatThrownBy(scheduler::start).isInstanceOf(IllegalStateException.class);
        assertThat(scheduler.isDisposed()).isTrue();
    }

    @Test
    void everyScheduleAfterDisposeThrowsRejected() {
        final SpindleScheduler scheduler = track(SpindleScheduler.create("rejecting", 1));
        final Scheduler.Worker worker = scheduler.createWorker();
        scheduler.dispose();

        assertThat(scheduler.isDisposed()).isTrue();
        assertThatThrownBy(() -> scheduler.schedule(() -> { })).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("disposed");
        assertThatThrownBy(() -> scheduler.schedule(() -> { }, 1, TimeUnit.MILLISECONDS)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> scheduler.schedulePeriodically(() -> { }, 1, 1, TimeUnit.MILLISECONDS)).isInstanceOf(RejectedExecutionException.class);
        assertThat(worker.isDisposed()).as("a Worker of a disposed scheduler").isTrue();
        assertThatThrownBy(() -> worker.schedule(() -> { })).isSameAs(Exceptions.failWithRejected());
        assertThatThrownBy(() -> scheduler.createWorker().schedule(() -> { }, 1, TimeUnit.MILLISECONDS)).isSameAs(Exceptions.failWithRejected());
    }

    @Test
    void disposedWorkerThrowsTheRejectedSingletonAndDisposesEveryPendingHandle() throws InterruptedException {
        final SpindleScheduler scheduler = track(SpindleScheduler.create("worker-dispose", 1));
        final Scheduler.Worker worker = scheduler.createWorker();
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean laterRan = new AtomicBoolean();
        final Disposable blocker = worker.schedule(() -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException expected) {
                Thread.currentThread().interrupt();
            }
        });
        await(running, "the first task");
        final List<Disposable> pending = List.of(
                worker.schedule(() -> laterRan.set(true)),
                worker.schedule(() -> laterRan.set(true), 1, TimeUnit.HOURS),
                worker.schedulePeriodically(() -> laterRan.set(true), 1, 1, TimeUnit.HOURS));
        assertThat(pending).noneMatch(Disposable::isDisposed);

        worker.dispose();

        assertThat(worker.isDisposed()).isTrue();
        assertThat(pending).allMatch(Disposable::isDisposed, "disposed");
        assertThat(blocker.isDisposed()).isTrue();
        assertThatThrownBy(() -> worker.schedule(() -> { })).isSameAs(Exceptions.failWithRejected());
        assertThatThrownBy(() -> worker.schedule(() -> { }, 1, TimeUnit.SECONDS)).isSameAs(Exceptions.failWithRejected());
        assertThatThrownBy(() -> worker.schedulePeriodically(() -> { }, 1, 1, TimeUnit.SECONDS)).isSameAs(Exceptions.failWithRejected());
        release.countDown();
        awaitCondition(() -> scheduler.pool().metrics().pendingTimers() == 0, "the disposed Worker's timers to leave the wheel");
        assertThat(laterRan).isFalse();
    }

    @Test
    void disposeOfAnOwnedPoolStopsItNowDisposesPendingHandlesAndInterruptsRunningTasks() throws InterruptedException {
        final SpindleScheduler scheduler = track(SpindleScheduler.create("owned-dispose", 1));
        final WorkStealingPool pool = scheduler.pool();
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        scheduler.schedule(() -> {
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        await(running, "the running task");
        final AtomicBoolean pendingRan = new AtomicBoolean();
        final Disposable direct = scheduler.schedule(() -> pendingRan.set(true));
        final Disposable delayed = scheduler.schedule(() -> pendingRan.set(true), 1, TimeUnit.HOURS);
        final Disposable periodic = scheduler.schedulePeriodically(() -> pendingRan.set(true), 1, 1, TimeUnit.HOURS);
        final Disposable workerTask = scheduler.createWorker().schedule(() -> pendingRan.set(true));

        scheduler.dispose();

        assertThat(pool.isShutdown()).isTrue();
        await(interrupted, "the running task to be interrupted");
        assertThat(List.of(direct, delayed, periodic, workerTask)).allMatch(Disposable::isDisposed, "disposed");
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pendingRan).isFalse();
    }

    @Test
    void disposeGracefullyRunsAcceptedTasksAndCompletesOnTermination() throws InterruptedException {
        final SpindleScheduler scheduler = track(SpindleScheduler.create("graceful", 2));
        final WorkStealingPool pool = scheduler.pool();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch ran = new CountDownLatch(3);
        scheduler.schedule(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.countDown();
        });
        scheduler.schedule(ran::countDown, 50, TimeUnit.MILLISECONDS);
        scheduler.createWorker().schedule(ran::countDown, 50, TimeUnit.MILLISECONDS);

        final Mono<Void> graceful = scheduler.disposeGracefully();
        assertThat(scheduler.isDisposed()).as("before subscription").isFalse();
        assertThatThrownBy(() -> graceful.block(Duration.ofMillis(100))).hasMessageContaining("Timeout");
        assertThat(scheduler.isDisposed()).isTrue();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.isTerminated()).isFalse();
        assertThatThrownBy(() -> scheduler.schedule(() -> { })).isInstanceOf(RejectedExecutionException.class);

        release.countDown();
        graceful.block(Duration.ofSeconds(10));
        assertThat(pool.isTerminated()).isTrue();
        await(ran, "every accepted task, delayed ones included");
    }

    @Test
    void disposeGracefullyIsSharedRetryableAndForcedByDispose() throws InterruptedException {
        final SpindleScheduler scheduler = track(SpindleScheduler.create("shared", 1));
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        scheduler.schedule(() -> {
            running.countDown();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                // Refuses to stop until interrupted.
                if (Thread.currentThread().isInterrupted()) {
                    interrupted.countDown();
                    return;
                }
            }
        });
        await(running, "the stubborn task");

        final List<Throwable> timeouts = new ArrayList<>();
        final CountDownLatch subscribers = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            scheduler.disposeGracefully().timeout(Duration.ofMillis(50)).subscribe(null, error -> {
                synchronized (timeouts) {
                    timeouts.add(error);
                }
                subscribers.countDown();
            });
        }
        await(subscribers, "ten subscribers to time out");
        assertThat(timeouts).hasSize(10).allMatch(TimeoutException.class::isInstance);
        assertThat(scheduler.pool().isTerminated()).isFalse();

        final Mono<Void> retry = scheduler.disposeGracefully();
        final CountDownLatch completed = new CountDownLatch(2);
        retry.subscribe(null, null, completed::countDown);
        retry.subscribe(null, null, completed::countDown);
        scheduler.dispose();

        await(interrupted, "the forced shutdown to interrupt the stubborn task");
        await(completed, "both retried subscribers to complete once the pool terminated");
        assertThat(scheduler.pool().isTerminated()).isTrue();
        scheduler.disposeGracefully().block(Duration.ofSeconds(1));
    }

    @Test
    void disposeGracefullyDoesNotWaitForTheNextTickOfAPeriodicTask() {
        final SpindleScheduler scheduler = track(SpindleScheduler.create("periodic-graceful", 1));
        final Disposable direct = scheduler.schedulePeriodically(() -> { }, 0, 1, TimeUnit.HOURS);
        final Disposable onWorker = scheduler.createWorker().schedulePeriodically(() -> { }, 1, 1, TimeUnit.HOURS);

        scheduler.disposeGracefully().block(Duration.ofSeconds(10));

        assertThat(scheduler.pool().isTerminated()).isTrue();
        assertThat(direct.isDisposed()).isTrue();
        assertThat(onWorker.isDisposed()).isTrue();
    }

    @Test
    void wrappedPoolIsNeverShutDownAndItsSchedulerStillRejectsAfterDispose() throws InterruptedException {
        final WorkStealingPool pool = pool("shared-pool", 2);
        final SpindleScheduler first = track(SpindleScheduler.wrap(pool));
        final SpindleScheduler second = track(SpindleScheduler.wrap(pool));
        assertThat(first.ownsPool()).isFalse();
        assertThat(first.pool()).isSameAs(pool);
        final Scheduler.Worker worker = first.createWorker();
        final AtomicBoolean periodicRanAfterDispose = new AtomicBoolean();
        final AtomicBoolean disposed = new AtomicBoolean();
        final Disposable periodic = first.schedulePeriodically(() -> periodicRanAfterDispose.set(disposed.get()), 0, 1, TimeUnit.MILLISECONDS);

        first.dispose();
        disposed.set(true);
        first.disposeGracefully().block(Duration.ofSeconds(1));

        assertThat(pool.isShutdown()).isFalse();
        assertThat(periodic.isDisposed()).isTrue();
        assertThatThrownBy(() -> first.schedule(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> worker.schedule(() -> { })).isSameAs(Exceptions.failWithRejected());
        final CountDownLatch ran = new CountDownLatch(2);
        second.schedule(ran::countDown);
        pool.execute(ran::countDown);
        await(ran, "the other scheduler and the pool itself to go on");
        Thread.sleep(20);
        assertThat(periodicRanAfterDispose).as("the periodic task stopped with its scheduler").isFalse();
    }

    @Test
    void disposeGracefullyBeforeInitCompletesAndDisposes() {
        final SpindleScheduler scheduler = uninitialised();
        scheduler.disposeGracefully().block(Duration.ofSeconds(1));
        assertThat(scheduler.isDisposed()).isTrue();
        assertThatThrownBy(scheduler::init).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void factoryArgumentsAreChecked() {
        assertThatThrownBy(() -> SpindleScheduler.create(null, 1)).isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> SpindleScheduler.create(" ", 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name must not be blank");
        assertThatThrownBy(() -> SpindleScheduler.create("x", 0)).isInstanceOf(IllegalArgumentException.class).hasMessage("workers must be in 1..32767, was 0");
        assertThatThrownBy(() -> SpindleScheduler.create("x", 32768)).isInstanceOf(IllegalArgumentException.class).hasMessage("workers must be in 1..32767, was 32768");
        assertThatThrownBy(() -> SpindleScheduler.wrap(null)).isInstanceOf(NullPointerException.class).hasMessage("pool");
        assertThatThrownBy(() -> SpindleScheduler.factory().newParallel(0, Executors.defaultThreadFactory())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..32767");
        assertThatThrownBy(() -> SpindleScheduler.factory().newParallel(1, null)).isInstanceOf(NullPointerException.class).hasMessage("threadFactory");
        final SpindleScheduler scheduler = track(SpindleScheduler.create("args", 1));
        assertThatThrownBy(() -> scheduler.schedule(null)).isInstanceOf(NullPointerException.class).hasMessage("task");
        assertThatThrownBy(() -> scheduler.schedule(() -> { }, 1, null)).isInstanceOf(NullPointerException.class).hasMessage("unit");
        assertThatThrownBy(() -> scheduler.createWorker().schedule(null)).isInstanceOf(NullPointerException.class).hasMessage("task");
    }
}
