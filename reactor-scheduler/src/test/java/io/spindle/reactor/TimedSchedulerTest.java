package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.await;
import static io.spindle.reactor.ReactorTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.observability.micrometer.Micrometer;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * {@code Micrometer.timedScheduler(SpindleScheduler, ...)}: the wrapper's direct, delayed,
 * periodic and Worker tasks run on Spindle and are counted, and disposing the wrapper disposes
 * the scheduler.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimedSchedulerTest {

    @Test
    void timedSchedulerCountsTasksRunOnSpindle() throws InterruptedException {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final SpindleScheduler spindle = SpindleScheduler.create("timed", 2);
        final Scheduler timed = Micrometer.timedScheduler(spindle, registry, "spindle", Tags.of("pool", "timed"));
        try {
            final CountDownLatch ran = new CountDownLatch(3);
            timed.schedule(ran::countDown);
            timed.schedule(ran::countDown, 1, TimeUnit.MILLISECONDS);
            final Scheduler.Worker worker = timed.createWorker();
            worker.schedule(ran::countDown);
            await(ran, "three timed tasks");
            final CountDownLatch ticks = new CountDownLatch(3);
            final var periodic = timed.schedulePeriodically(ticks::countDown, 0, 1, TimeUnit.MILLISECONDS);
            await(ticks, "three periodic runs");
            periodic.dispose();
            assertThat(Flux.range(0, 100).publishOn(timed).count().block(Duration.ofSeconds(10))).isEqualTo(100);

            awaitCondition(() -> registry.find("spindle.scheduler.tasks.completed").timers().stream().mapToLong(t -> t.count()).sum() >= 6,
                    "the completed-task timers");
            assertThat(registry.find("spindle.scheduler.tasks.submitted").counters()).isNotEmpty()
                    .allSatisfy(counter -> assertThat(counter.getId().getTag("pool")).isEqualTo("timed"));
            assertThat(registry.find("spindle.scheduler.tasks.submitted").counters().stream()
                    .map(counter -> counter.getId().getTag("submission.type")))
                    .contains("direct", "delayed", "periodic_initial", "periodic_iteration");
        } finally {
            timed.dispose();
        }
        assertThat(spindle.isDisposed()).isTrue();
        assertThat(spindle.pool().isShutdown()).isTrue();
    }
}
