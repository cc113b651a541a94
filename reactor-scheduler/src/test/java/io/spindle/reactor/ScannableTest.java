package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Scannable;
import reactor.core.scheduler.Scheduler;

/** Reactor's {@code Scannable} attributes and {@code toString()} of the scheduler and its Workers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScannableTest {

    @Test
    void schedulerReportsNameCapacityBufferedAndTermination() throws InterruptedException {
        final SpindleScheduler scheduler = SpindleScheduler.create("scanned", 1);
        try {
            assertThat(scheduler).hasToString("spindle(1,\"scanned\")");
            assertThat(scheduler.scan(Scannable.Attr.NAME)).isEqualTo("spindle(1,\"scanned\")");
            assertThat(scheduler.scan(Scannable.Attr.CAPACITY)).isEqualTo(1);
            assertThat(scheduler.scan(Scannable.Attr.TERMINATED)).isFalse();
            assertThat(scheduler.scan(Scannable.Attr.CANCELLED)).isFalse();
            assertThat(scheduler.scan(Scannable.Attr.PARENT)).isNull();
            assertThat(scheduler.scan(Scannable.Attr.BUFFERED)).isZero();

            final CountDownLatch running = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            scheduler.schedule(() -> {
                running.countDown();
                awaitQuietly(release);
            });
            await(running, "the blocking task");
            for (int i = 0; i < 5; i++) {
                scheduler.schedule(() -> { });
            }
            assertThat(scheduler.scan(Scannable.Attr.BUFFERED)).isEqualTo(5);
            release.countDown();
        } finally {
            scheduler.dispose();
        }
        assertThat(scheduler.scan(Scannable.Attr.TERMINATED)).isTrue();
        assertThat(scheduler.scan(Scannable.Attr.CANCELLED)).isTrue();
    }

    @Test
    void uninitialisedSchedulerScansWithoutAPool() {
        final SpindleScheduler scheduler = (SpindleScheduler) SpindleScheduler.factory().newParallel(3, Executors.defaultThreadFactory());
        assertThat(scheduler.scan(Scannable.Attr.CAPACITY)).isEqualTo(3);
        assertThat(scheduler.scan(Scannable.Attr.BUFFERED)).isZero();
        assertThat(scheduler.scan(Scannable.Attr.TERMINATED)).isFalse();
        scheduler.dispose();
    }

    @Test
    void workerReportsItsQueuedTasksParentAndTermination() throws InterruptedException {
        final SpindleScheduler scheduler = SpindleScheduler.create("scanned-worker", 1);
        try {
            final Scheduler.Worker worker = scheduler.createWorker();
            final Scannable scannable = Scannable.from(worker);
            assertThat(scannable.isScanAvailable()).isTrue();
            assertThat(scannable.scan(Scannable.Attr.PARENT)).isSameAs(scheduler);
            assertThat(scannable.scan(Scannable.Attr.NAME)).isEqualTo("spindle(1,\"scanned-worker\").worker");
            final CountDownLatch running = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            worker.schedule(() -> {
                running.countDown();
                awaitQuietly(release);
            });
            await(running, "the Worker's first task");
            worker.schedule(() -> { });
            worker.schedule(() -> { });
            assertThat(scannable.scan(Scannable.Attr.BUFFERED)).isEqualTo(2);
            assertThat(scannable.scan(Scannable.Attr.TERMINATED)).isFalse();
            worker.dispose();
            release.countDown();
            assertThat(scannable.scan(Scannable.Attr.TERMINATED)).isTrue();
            assertThat(scannable.scan(Scannable.Attr.CANCELLED)).isTrue();
        } finally {
            scheduler.dispose();
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
