package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static io.spindle.core.PoolTestSupport.awaitAllParked;
import static io.spindle.core.PoolTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The pool's JFR events, as a {@link Recording} started by the test sees them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkStealingPoolJfrEventsTest {

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    @TempDir
    Path dir;

    @Test
    void aStallIsRecordedAsAWorkerStallEventWithItsFields() throws Exception {
        final ConcurrentLinkedQueue<WorkerStall> stalls = new ConcurrentLinkedQueue<>();
        final List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            recording.enable("io.spindle.WorkerStall");
            recording.start();
            final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("recorded").workers(2)
                    .stallThreshold(Duration.ofMillis(100)).stallListener(stalls::add));
            pool.execute(new SleepingTask());
            awaitCondition(() -> !stalls.isEmpty(), PROMPTLY, () -> "the stall report");
            stalls.peek().thread().interrupt();
            recording.stop();
            events = read(recording, "io.spindle.WorkerStall");
        }
        assertThat(events).hasSize(1);
        final RecordedEvent event = events.get(0);
        final WorkerStall stall = stalls.peek();
        assertThat(event.getString("pool")).isEqualTo("recorded");
        assertThat(event.getInt("workerIndex")).isEqualTo(stall.workerIndex());
        assertThat(event.getThread("worker").getJavaName()).isEqualTo(stall.thread().getName());
        assertThat(event.getDuration("stalledFor")).isEqualTo(stall.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(event.getClass("taskClass").getName()).isEqualTo(SleepingTask.class.getName());
        assertThat(event.getString("workerStack")).contains("java.lang.Thread.sleep").contains(SleepingTask.class.getName() + ".run");
    }

    @Test
    void parksStealsAndOverflowsAreRecorded() throws Exception {
        final List<RecordedEvent> parks;
        final List<RecordedEvent> steals;
        final List<RecordedEvent> overflows;
        try (Recording recording = new Recording()) {
            recording.enable("io.spindle.WorkerPark");
            recording.enable("io.spindle.Steal");
            recording.enable("io.spindle.Overflow");
            recording.start();
            final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("events").workers(2).localQueueCapacity(16));
            awaitAllParked(pool);
            // One worker fans out 100 tasks into its 16-slot queue (overflows) and holds on
            // until the other worker has stolen and run them all.
            final int tasks = 100;
            final CountDownLatch done = new CountDownLatch(tasks);
            final CountDownLatch spawnerDone = new CountDownLatch(1);
            pool.execute(() -> {
                for (int i = 0; i < tasks; i++) {
                    pool.execute(done::countDown);
                }
                try {
                    done.await(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                spawnerDone.countDown();
            });
            await(spawnerDone, "the fan-out");
            await(done, "every fanned-out task");
            awaitAllParked(pool);
            recording.stop();
            parks = read(recording, "io.spindle.WorkerPark");
            steals = read(recording, "io.spindle.Steal");
            overflows = read(recording, "io.spindle.Overflow");
        }
        assertThat(parks).isNotEmpty().allSatisfy(park -> {
            assertThat(park.getString("pool")).isEqualTo("events");
            assertThat(park.getDuration().isNegative()).isFalse();
        });
        assertThat(steals).isNotEmpty().allSatisfy(steal -> {
            assertThat(steal.getString("pool")).isEqualTo("events");
            assertThat(steal.getInt("count")).isPositive();
            assertThat(steal.getInt("thief")).isNotEqualTo(steal.getInt("victim"));
            assertThat(steal.getThread().getJavaName()).isEqualTo("events-worker-" + steal.getInt("thief"));
        });
        assertThat(overflows).isNotEmpty().allSatisfy(overflow -> {
            assertThat(overflow.getInt("tasks")).isEqualTo(9);
            assertThat(overflow.getInt("capacity")).isEqualTo(16);
            assertThat(overflow.getThread().getJavaName()).startsWith("events-worker-");
        });
    }

    private List<RecordedEvent> read(Recording recording, String name) throws Exception {
        final Path file = Files.createTempFile(dir, "spindle", ".jfr");
        recording.dump(file);
        return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    /** Sleeps until interrupted, so that its class and frame can be found in the event. */
    private static final class SleepingTask implements Runnable {
        @Override
        public void run() {
            try {
                Thread.sleep(2 * PROMPTLY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
