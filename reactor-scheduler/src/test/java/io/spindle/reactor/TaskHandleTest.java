package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.await;
import static io.spindle.reactor.ReactorTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Task handles: disposing a pending task keeps it from running (a delayed one's timer leaves the
 * wheel at once); disposing a running task from another thread interrupts it, from the task
 * itself never, and the interrupt does not leak into the thread's next task; a handle reports
 * disposed once its task is done. For direct and Worker tasks alike.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskHandleTest {

    private final SpindleScheduler scheduler = SpindleScheduler.create("handles", 1);

    @AfterEach
    void dispose() {
        scheduler.dispose();
    }

    /** How a test schedules: directly on the scheduler, or on a fresh Worker. */
    enum Path {
        DIRECT, WORKER;

        Function<Runnable, Disposable> now(SpindleScheduler scheduler) {
            if (this == DIRECT) {
                return scheduler::schedule;
            }
            final Scheduler.Worker worker = scheduler.createWorker();
            return worker::schedule;
        }

        Disposable later(SpindleScheduler scheduler, Runnable task, long millis) {
            return this == DIRECT
                    ? scheduler.schedule(task, millis, TimeUnit.MILLISECONDS)
                    : scheduler.createWorker().schedule(task, millis, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void disposingAPendingTaskKeepsItFromRunning() throws InterruptedException {
        for (Path path : Path.values()) {
            final CountDownLatch release = new CountDownLatch(1);
            final CountDownLatch blocking = new CountDownLatch(1);
            scheduler.schedule(() -> {
                blocking.countDown();
                awaitQuietly(release);
            });
            await(blocking, "the single worker to be busy");
            final AtomicBoolean ran = new AtomicBoolean();
            final Disposable pending = path.now(scheduler).apply(() -> ran.set(true));
            assertThat(pending.isDisposed()).isFalse();

            pending.dispose();
            pending.dispose();

            assertThat(pending.isDisposed()).isTrue();
            release.countDown();
            final CountDownLatch after = new CountDownLatch(1);
            path.now(scheduler).apply(after::countDown);
            await(after, path + ": a task queued behind the disposed one");
            assertThat(ran).as(path.toString()).isFalse();
        }
    }

    @Test
    void disposingADelayedTaskRemovesItsTimerAtOnce() {
        for (Path path : Path.values()) {
            final AtomicBoolean ran = new AtomicBoolean();
            final Disposable delayed = path.later(scheduler, () -> ran.set(true), TimeUnit.HOURS.toMillis(1));
            assertThat(scheduler.pool().metrics().pendingTimers()).as(path + ": armed").isEqualTo(1);

            delayed.dispose();

            assertThat(delayed.isDisposed()).isTrue();
            assertThat(scheduler.pool().metrics().pendingTimers()).as(path + ": removed").isZero();
            assertThat(ran).isFalse();
        }
    }

    @Test
    void handleReportsDisposedOnceTheTaskFinishedAndNotWhileItRuns() throws InterruptedException {
        for (Path path : Path.values()) {
            final CountDownLatch running = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            final Disposable handle = path.now(scheduler).apply(() -> {
                running.countDown();
                awaitQuietly(release);
            });
            await(running, path + ": the task");
            assertThat(handle.isDisposed()).as(path + ": while running").isFalse();
            release.countDown();
            awaitCondition(handle::isDisposed, path + ": the handle to report the finished task");
        }
    }

    @Test
    void disposeFromAnotherThreadInterruptsTheRunningTaskAndTheInterruptDoesNotLeak() throws InterruptedException {
        for (Path path : Path.values()) {
            final CountDownLatch running = new CountDownLatch(1);
            final CountDownLatch interrupted = new CountDownLatch(1);
            final Disposable handle = path.now(scheduler).apply(() -> {
                running.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException expected) {
                    interrupted.countDown();
                }
            });
            await(running, path + ": the sleeping task");

            handle.dispose();

            await(interrupted, path + ": the interrupt");
            assertThat(handle.isDisposed()).isTrue();
            final AtomicReference<Boolean> nextSawInterrupt = new AtomicReference<>();
            final CountDownLatch next = new CountDownLatch(1);
            path.now(scheduler).apply(() -> {
                nextSawInterrupt.set(Thread.currentThread().isInterrupted());
                next.countDown();
            });
            await(next, path + ": the next task on the same single thread");
            assertThat(nextSawInterrupt.get()).as(path + ": interrupt leaked into the next task").isFalse();
        }
    }

    @Test
    void disposeFromTheRunningTaskItselfNeverInterrupts() throws InterruptedException {
        for (Path path : Path.values()) {
            final AtomicReference<Disposable> self = new AtomicReference<>();
            final CountDownLatch handed = new CountDownLatch(1);
            final AtomicReference<Boolean> interrupted = new AtomicReference<>();
            final AtomicReference<Boolean> disposedInside = new AtomicReference<>();
            final CountDownLatch done = new CountDownLatch(1);
            self.set(path.now(scheduler).apply(() -> {
                awaitQuietly(handed);
                self.get().dispose();
                disposedInside.set(self.get().isDisposed());
                interrupted.set(Thread.currentThread().isInterrupted());
                done.countDown();
            }));
            handed.countDown();
            await(done, path + ": the self-disposing task");
            assertThat(interrupted.get()).as(path.toString()).isFalse();
            assertThat(disposedInside.get()).isTrue();
        }
    }

    @Test
    void disposingARunningPeriodicTaskFromAnotherThreadInterruptsItAndStopsIt() throws InterruptedException {
        for (Path path : Path.values()) {
            final CountDownLatch running = new CountDownLatch(1);
            final CountDownLatch interrupted = new CountDownLatch(1);
            final AtomicInteger runs = new AtomicInteger();
            final Runnable task = () -> {
                runs.incrementAndGet();
                running.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException expected) {
                    interrupted.countDown();
                }
            };
            final Disposable periodic = path == Path.DIRECT
                    ? scheduler.schedulePeriodically(task, 0, 1, TimeUnit.MILLISECONDS)
                    : scheduler.createWorker().schedulePeriodically(task, 0, 1, TimeUnit.MILLISECONDS);
            await(running, path + ": the periodic run");

            periodic.dispose();

            await(interrupted, path + ": the interrupt");
            assertThat(periodic.isDisposed()).isTrue();
            final CountDownLatch later = new CountDownLatch(1);
            scheduler.schedule(later::countDown, 20, TimeUnit.MILLISECONDS);
            await(later, "a later task");
            assertThat(runs).as(path + ": no run after dispose").hasValue(1);
        }
    }

    @Test
    void fixedRatePeriodicTasksRunAtInitialDelayPlusMultiplesOfThePeriod() throws InterruptedException {
        for (Path path : Path.values()) {
            final long start = System.nanoTime();
            final long[] startedAt = new long[10];
            final AtomicInteger runs = new AtomicInteger();
            final CountDownLatch tenRuns = new CountDownLatch(10);
            final Runnable task = () -> {
                final int run = runs.getAndIncrement();
                if (run < startedAt.length) {
                    startedAt[run] = System.nanoTime() - start;
                    tenRuns.countDown();
                }
            };
            final Disposable periodic = path == Path.DIRECT
                    ? scheduler.schedulePeriodically(task, 20, 10, TimeUnit.MILLISECONDS)
                    : scheduler.createWorker().schedulePeriodically(task, 20, 10, TimeUnit.MILLISECONDS);
            await(tenRuns, path + ": ten runs");
            periodic.dispose();
            for (int k = 0; k < startedAt.length; k++) {
                assertThat(startedAt[k]).as(path + ": run %d is never early", k).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20 + 10L * k));
            }
        }
    }

    @Test
    void runsThatFellDueDuringALateRunFollowItBackToBack() throws InterruptedException {
        for (Path path : Path.values()) {
            final long[] startedAt = new long[6];
            final AtomicInteger runs = new AtomicInteger();
            final CountDownLatch sixRuns = new CountDownLatch(6);
            final Runnable task = () -> {
                final int run = runs.getAndIncrement();
                if (run < startedAt.length) {
                    startedAt[run] = System.nanoTime();
                    sixRuns.countDown();
                }
                if (run == 0) {
                    sleepQuietly(150);
                }
            };
            final Disposable periodic = path == Path.DIRECT
                    ? scheduler.schedulePeriodically(task, 0, 25, TimeUnit.MILLISECONDS)
                    : scheduler.createWorker().schedulePeriodically(task, 0, 25, TimeUnit.MILLISECONDS);
            await(sixRuns, path + ": six runs");
            periodic.dispose();
            // Runs 1..5 were due at 25..125 ms and run 0 ended at 150 ms: at a fixed rate they
            // follow at once; at a fixed delay runs 1 and 5 would be at least 4 periods apart.
            assertThat(startedAt[5] - startedAt[1]).as(path + ": runs 1 to 5 (ns)").isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
