package io.spindle.rxjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DESIGN.md: every task passes through {@code RxJavaPlugins.onSchedule} exactly once, on the
 * submitting thread, periodic ones included (once when scheduled, not once per run). RxJava's
 * default {@code Worker.schedulePeriodically} would call the hook again for every run, on a
 * pool thread; these tests pin that the adapter does not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OnScheduleHookTest {

    private static final int RUNS = 5;

    private final List<Thread> hookThreads = new CopyOnWriteArrayList<>();
    private SpindleRxScheduler scheduler;

    @BeforeEach
    void hook() {
        RxJavaPlugins.setScheduleHandler(run -> {
            hookThreads.add(Thread.currentThread());
            return run;
        });
        scheduler = SpindleRxScheduler.create("rx-hook", 2);
    }

    @AfterEach
    void reset() {
        scheduler.shutdown();
        RxJavaPlugins.reset();
    }

    @Test
    void periodicWorkerTaskPassesThroughOnScheduleOnce() throws InterruptedException {
        final Scheduler.Worker worker = scheduler.createWorker();
        try {
            assertPeriodicHookedOnce(run -> worker.schedulePeriodically(run, 0, 1, TimeUnit.MILLISECONDS));
        } finally {
            worker.dispose();
        }
    }

    @Test
    void periodicDirectTaskPassesThroughOnScheduleOnce() throws InterruptedException {
        assertPeriodicHookedOnce(run -> scheduler.schedulePeriodicallyDirect(run, 0, 1, TimeUnit.MILLISECONDS));
    }

    @Test
    void everyOneShotTaskPassesThroughOnScheduleOnceOnTheSubmittingThread() throws InterruptedException {
        final Scheduler.Worker worker = scheduler.createWorker();
        final CountDownLatch ran = new CountDownLatch(5);
        scheduler.scheduleDirect(ran::countDown);
        scheduler.scheduleDirect(ran::countDown, 1, TimeUnit.MILLISECONDS);
        worker.schedule(ran::countDown);
        worker.schedule(ran::countDown, 1, TimeUnit.MILLISECONDS);
        worker.schedule(ran::countDown, 0, TimeUnit.MILLISECONDS);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        worker.dispose();
        assertThat(hookThreads).hasSize(5).containsOnly(Thread.currentThread());
    }

    private interface PeriodicSchedule {
        Disposable schedule(Runnable run);
    }

    private void assertPeriodicHookedOnce(PeriodicSchedule periodic) throws InterruptedException {
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch enough = new CountDownLatch(RUNS);
        final Disposable task = periodic.schedule(() -> {
            runs.incrementAndGet();
            enough.countDown();
        });
        assertThat(enough.await(10, TimeUnit.SECONDS)).isTrue();
        task.dispose();
        assertThat(task.isDisposed()).isTrue();
        assertThat(runs.get()).isGreaterThanOrEqualTo(RUNS);
        assertThat(hookThreads).hasSize(1).containsOnly(Thread.currentThread());
    }
}
