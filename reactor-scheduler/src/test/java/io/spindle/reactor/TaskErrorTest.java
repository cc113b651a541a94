package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.await;
import static io.spindle.reactor.ReactorTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Task errors reach {@code Schedulers.onHandleError} once, with the original throwable and on the
 * pool thread that ran the task; the hop that gets them there is not decorated by
 * {@code onSchedule}; no thread dies; a throwing periodic task keeps its schedule (positive
 * period) or stops (Reactor's instant shape).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskErrorTest {

    private static final String HOOK = "TaskErrorTest";

    private final List<Report> reports = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger decorated = new AtomicInteger();
    private SpindleScheduler scheduler;

    record Report(Thread thread, Throwable error) {}

    @BeforeEach
    void hooks() {
        Schedulers.onHandleError(HOOK, (thread, error) -> reports.add(new Report(thread, error)));
        Schedulers.onScheduleHook(HOOK, task -> {
            decorated.incrementAndGet();
            return task;
        });
        scheduler = SpindleScheduler.create("errors", 2);
    }

    @AfterEach
    void resetHooks() {
        scheduler.dispose();
        Schedulers.resetOnHandleError(HOOK);
        Schedulers.resetOnScheduleHook(HOOK);
    }

    private void awaitReports(int count) throws InterruptedException {
        awaitCondition(() -> reports.size() >= count, count + " error report(s)");
    }

    @Test
    void directTaskErrorReachesOnHandleErrorOnceOnThePoolThreadUndecoratedHop() throws InterruptedException {
        final IllegalStateException boom = new IllegalStateException("direct boom");
        final AtomicReference<Thread> ranOn = new AtomicReference<>();
        scheduler.schedule(() -> {
            ranOn.set(Thread.currentThread());
            throw boom;
        });
        awaitReports(1);
        // Anything reported twice would have arrived by the time a later task on the same pool ran.
        final CountDownLatch after = new CountDownLatch(1);
        scheduler.schedule(after::countDown);
        await(after, "a task after the failing one");

        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).error()).isSameAs(boom);
        assertThat(reports.get(0).thread()).isSameAs(ranOn.get());
        assertThat(scheduler.pool().isWorkerThread(ranOn.get())).isTrue();
        assertThat(decorated).as("onSchedule: the failing task and the later one, never the error hop").hasValue(2);
    }

    @Test
    void workerTaskErrorIsReportedAndTheWorkerAndItsThreadGoOn() throws InterruptedException {
        final Scheduler.Worker worker = scheduler.createWorker();
        final IllegalArgumentException boom = new IllegalArgumentException("worker boom");
        final AtomicReference<Thread> failedOn = new AtomicReference<>();
        final CountDownLatch next = new CountDownLatch(1);
        final List<Thread> threadsBefore = List.copyOf(Thread.getAllStackTraces().keySet());
        worker.schedule(() -> {
            failedOn.set(Thread.currentThread());
            throw boom;
        });
        worker.schedule(next::countDown);

        await(next, "the Worker's next task");
        awaitReports(1);
        assertThat(reports).extracting(Report::error).containsExactly(boom);
        assertThat(reports.get(0).thread()).isSameAs(failedOn.get());
        assertThat(failedOn.get().isAlive()).as("the pool thread survives").isTrue();
        assertThat(threadsBefore).contains(failedOn.get());
        assertThat(decorated).hasValue(2);
    }

    @Test
    void checkedThrowableArrivesAsItself() throws InterruptedException {
        final IOException checked = new IOException("checked");
        scheduler.schedule(() -> sneakyThrow(checked), 1, TimeUnit.MILLISECONDS);
        awaitReports(1);
        assertThat(reports.get(0).error()).isSameAs(checked);
    }

    @Test
    void errorAlsoReachesTheThreadsUncaughtExceptionHandler() throws InterruptedException {
        final List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());
        final SpindleScheduler withHandler = SpindleScheduler.wrap(io.spindle.core.WorkStealingPool.builder()
                .name("errors-ueh").workers(1)
                .threadFactory(runnable -> {
                    final Thread thread = new Thread(runnable, "errors-ueh-worker");
                    thread.setDaemon(true);
                    thread.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
                    return thread;
                })
                .build());
        try {
            final RuntimeException boom = new RuntimeException("to the handler");
            withHandler.schedule(() -> {
                throw boom;
            });
            awaitReports(1);
            assertThat(uncaught).containsExactly(boom);
        } finally {
            withHandler.pool().shutdownNow();
        }
    }

    @Test
    void periodicTasksSurviveAThrowingRun() throws InterruptedException {
        final AtomicInteger directRuns = new AtomicInteger();
        final AtomicInteger workerRuns = new AtomicInteger();
        final Disposable direct = scheduler.schedulePeriodically(() -> {
            if (directRuns.incrementAndGet() == 1) {
                throw new IllegalStateException("first direct run");
            }
        }, 0, 2, TimeUnit.MILLISECONDS);
        final Disposable onWorker = scheduler.createWorker().schedulePeriodically(() -> {
            if (workerRuns.incrementAndGet() == 1) {
                throw new IllegalStateException("first worker run");
            }
        }, 0, 2, TimeUnit.MILLISECONDS);

        awaitCondition(() -> directRuns.get() >= 3 && workerRuns.get() >= 3, "three runs of each periodic task");
        direct.dispose();
        onWorker.dispose();
        assertThat(reports).extracting(report -> report.error().getMessage()).containsExactlyInAnyOrder("first direct run", "first worker run");
        assertThat(decorated).as("once per periodic task, not per run").hasValue(2);
    }

    @Test
    void instantPeriodicTasksStopAtTheirFirstThrow() throws InterruptedException {
        final AtomicInteger directRuns = new AtomicInteger();
        final AtomicInteger workerRuns = new AtomicInteger();
        final Disposable direct = scheduler.schedulePeriodically(() -> {
            if (directRuns.incrementAndGet() == 5) {
                throw new IllegalStateException("direct stops");
            }
        }, 0, 0, TimeUnit.MILLISECONDS);
        final Disposable onWorker = scheduler.createWorker().schedulePeriodically(() -> {
            if (workerRuns.incrementAndGet() == 5) {
                throw new IllegalStateException("worker stops");
            }
        }, 1, -1, TimeUnit.MILLISECONDS);

        awaitReports(2);
        awaitCondition(() -> direct.isDisposed() && onWorker.isDisposed(), "both instant tasks to stop");
        final CountDownLatch settled = new CountDownLatch(1);
        scheduler.schedule(settled::countDown, 20, TimeUnit.MILLISECONDS);
        await(settled, "a later task");
        assertThat(directRuns).hasValue(5);
        assertThat(workerRuns).hasValue(5);
        assertThat(decorated).hasValue(3);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable error) throws E {
        throw (E) error;
    }
}
