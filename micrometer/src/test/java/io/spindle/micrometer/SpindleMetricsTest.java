package io.spindle.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spindle.core.WorkStealingPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SpindleMetrics} registers the documented meters, and they read the pool's counters. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpindleMetricsTest {

    private static final Set<String> POOL_METERS = Set.of(
            "spindle.workers", "spindle.inject.queue.depth", "spindle.remote.schedules", "spindle.inject.splices",
            "spindle.inject.spliced.tasks", "spindle.timers.pending", "spindle.tasks.executed");
    private static final Set<String> WORKER_METERS = Set.of(
            "spindle.worker.local.queue.depth", "spindle.worker.steals", "spindle.worker.steal.operations",
            "spindle.worker.overflows", "spindle.worker.inject.splices", "spindle.worker.inject.spliced.tasks",
            "spindle.worker.polls", "spindle.worker.parks", "spindle.worker.noop.wakes",
            "spindle.worker.local.schedules", "spindle.worker.busy", "spindle.worker.mean.task.time",
            "spindle.worker.budget.forced.yields", "spindle.worker.stalls");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private WorkStealingPool pool;

    @AfterEach
    void stopPool() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void registersEveryDocumentedMeterWithPoolAndWorkerTags() {
        pool = WorkStealingPool.builder().name("bound").workers(2).build();
        new SpindleMetrics(pool, Tags.of("app", "test")).bindTo(registry);

        final List<Meter> meters = registry.getMeters();
        assertThat(meters).allSatisfy(meter -> {
            assertThat(meter.getId().getTag("pool")).isEqualTo("bound");
            assertThat(meter.getId().getTag("app")).isEqualTo("test");
        });
        final Set<String> names = meters.stream().map(m -> m.getId().getName()).collect(Collectors.toSet());
        assertThat(names).containsAll(POOL_METERS).containsAll(WORKER_METERS).doesNotContain("spindle.task.duration");
        assertThat(meters).hasSize(POOL_METERS.size() + 2 * WORKER_METERS.size());
        for (String name : WORKER_METERS) {
            assertThat(registry.find(name).meters()).as(name).extracting(m -> m.getId().getTag("worker")).containsExactlyInAnyOrder("0", "1");
        }
        assertThat(registry.get("spindle.inject.queue.depth").meter()).isInstanceOf(Gauge.class);
        assertThat(registry.get("spindle.worker.steals").tag("worker", "0").meter()).isInstanceOf(FunctionCounter.class);
        assertThat(registry.get("spindle.worker.busy").tag("worker", "0").meter().getId().getBaseUnit()).isEqualTo("seconds");
        assertThat(registry.get("spindle.workers").gauge().value()).isEqualTo(2.0);
    }

    @Test
    void pendingTimersFollowScheduleAndCancel() {
        pool = WorkStealingPool.builder().name("timed").workers(2).build();
        new SpindleMetrics(pool).bindTo(registry);
        final ScheduledFuture<?> first = pool.schedule(() -> {}, 1, TimeUnit.HOURS);
        final ScheduledFuture<?> second = pool.schedule(() -> {}, 2, TimeUnit.HOURS);
        assertThat(registry.get("spindle.timers.pending").gauge().value()).isEqualTo(2.0);
        first.cancel(false);
        second.cancel(false);
        assertThat(registry.get("spindle.timers.pending").gauge().value()).isZero();
    }

    @Test
    void countersFollowThePool() throws Exception {
        pool = WorkStealingPool.builder().name("counted").workers(2).taskDurationHistogram(true).build();
        new SpindleMetrics(pool).bindTo(registry);
        final int tasks = 500;
        final CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            pool.execute(done::countDown);
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.get("spindle.remote.schedules").functionCounter().count()).isEqualTo(tasks);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(registry.get("spindle.tasks.executed").functionCounter().count()).isEqualTo(tasks);
            final double polls = registry.find("spindle.worker.polls").functionCounters().stream()
                    .mapToDouble(FunctionCounter::count).sum();
            assertThat(polls).isEqualTo(tasks);
        });
        final List<FunctionCounter> buckets = List.copyOf(registry.find("spindle.task.duration").functionCounters());
        assertThat(buckets).hasSize(pool.metrics().taskDurationHistogramBuckets());
        assertThat(registry.get("spindle.task.duration").tag("le", "+Inf").functionCounter().count()).isEqualTo(tasks);
        assertThat(registry.get("spindle.task.duration").tag("le", "1.024E-6").functionCounter().count()).isBetween(0.0, (double) tasks);
    }

    @Test
    void injectSpliceCountersFollowBatchesFromOutsideAndOverflowsOnAWorker() throws Exception {
        pool = WorkStealingPool.builder().name("spliced").workers(1).lifoSlot(false).build();
        new SpindleMetrics(pool).bindTo(registry);
        final int batch = 100;
        final int fanOut = 300;
        final CountDownLatch batchDone = new CountDownLatch(batch);
        final List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            tasks.add(batchDone::countDown);
        }
        pool.executeAll(tasks);
        assertThat(batchDone.await(10, TimeUnit.SECONDS)).isTrue();
        // One worker, nobody to steal, an empty local queue: 300 pushes onto its 256 slots
        // overflow once, 129 tasks.
        final CountDownLatch done = new CountDownLatch(fanOut + 1);
        pool.execute(() -> {
            for (int i = 0; i < fanOut; i++) {
                pool.execute(done::countDown);
            }
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.get("spindle.inject.splices").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("spindle.inject.spliced.tasks").functionCounter().count()).isEqualTo(batch + 129);
        assertThat(registry.get("spindle.worker.inject.splices").tag("worker", "0").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("spindle.worker.inject.spliced.tasks").tag("worker", "0").functionCounter().count()).isEqualTo(129);
        assertThat(registry.get("spindle.inject.splices").functionCounter().getId().getBaseUnit()).isEqualTo("operations");
    }

    @Test
    void nullArgumentsAreRejected() {
        pool = WorkStealingPool.builder().name("nulls").workers(1).build();
        assertThatThrownBy(() -> new SpindleMetrics(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("pool");
        assertThatThrownBy(() -> new SpindleMetrics(pool, null)).isInstanceOf(NullPointerException.class).hasMessageContaining("tags");
        assertThatThrownBy(() -> new SpindleMetrics(pool).bindTo(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("registry");
    }
}
