package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static io.spindle.core.PoolTestSupport.awaitAllParked;
import static io.spindle.core.PoolTestSupport.awaitUnparked;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN.md: "No task is stranded behind a stuck worker: the local queue is stealable, and the
 * LIFO slot must not hold a task hostage either (Tokio's open #4941). 1,000 short tasks
 * submitted from a worker that then blocks for 2 s all complete well within 1 s."
 *
 * <p>A blocking task here waits on a latch for at most {@link #BLOCK} (2 s) and is released as
 * soon as the measurement is taken, so each scenario costs milliseconds when the pool works and
 * about 2 s when it does not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkStealingPoolStuckWorkerTest {

    /** How long the stuck worker blocks at most: the 2 s. */
    private static final Duration BLOCK = Duration.ofSeconds(2);
    /** DESIGN.md's bound, "well within 1 s": the hard assertion. */
    private static final Duration HARD_BOUND = Duration.ofSeconds(1);
    /** The target: 1,000 trivial tasks on an idle worker take a few milliseconds. */
    private static final Duration TARGET = Duration.ofMillis(100);
    private static final int ATTEMPTS = 5;

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    /**
     * The measurement runs from the moment the blocking task has finished submitting to the
     * moment the last of its tasks completes. Waking a parked worker, stealing and running
     * 1,000 empty tasks takes a few milliseconds, so the issue asks for under 100 ms. A loaded
     * two-core CI machine can stall any single attempt for longer than that (a GC pause, the
     * test JVM descheduled), so a single 100 ms assertion would be flaky while proving nothing
     * more. Instead: every attempt must finish within DESIGN.md's "well within 1 s" (a task
     * held hostage until the blocker's 2 s are up fails that), and the best of five attempts
     * must meet the 100 ms target (a machine hiccup does not hit all five; a pool that needs
     * hundreds of milliseconds to notice queued work fails every one). The measured times are
     * published as a report entry.
     */
    @ParameterizedTest(name = "lifoSlot={0}")
    @ValueSource(booleans = {true, false})
    void thousandTasksQueuedByAWorkerThatThenBlocksAllCompleteWellWithinOneSecond(boolean lifoSlot, TestReporter reporter)
            throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("stuck").workers(2).lifoSlot(lifoSlot));
        final List<Duration> measured = new ArrayList<>();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            final Duration elapsed = submitThenBlock(pool, 1_000, "attempt " + attempt);
            assertThat(elapsed)
                    .as("attempt %d: time from the end of submission to the 1,000th completion, with the submitter blocked", attempt)
                    .isLessThan(HARD_BOUND);
            measured.add(elapsed);
        }
        final Duration best = measured.stream().min(Duration::compareTo).orElseThrow();
        record(reporter, "submitted-to-last-completed (lifoSlot=" + lifoSlot + ")", measured.toString());
        assertThat(best).as("best of %d attempts %s", ATTEMPTS, measured).isLessThan(TARGET);
    }

    /**
     * The smallest case of the same rule: one task, queued by a task that then blocks while
     * every other worker is parked. With the LIFO slot on, that task goes to the slot, which
     * (unlike a push to the local queue) wakes nobody; it must still not wait for the blocker.
     * The blocker waits for the other workers to park first, so that no searcher that happened
     * to be awake catches the task by luck: this is the state a quiet server is in.
     */
    @ParameterizedTest(name = "lifoSlot={0}")
    @ValueSource(booleans = {true, false})
    void aLoneTaskQueuedByAWorkerThatThenBlocksIsNotHeldHostage(boolean lifoSlot, TestReporter reporter) throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("hostage").workers(2).lifoSlot(lifoSlot));
        awaitAllParked(pool);
        final Duration elapsed = submitThenBlock(pool, 1, "the lone task");
        record(reporter, "submitted-to-completed (lifoSlot=" + lifoSlot + ")", elapsed.toString());
        assertThat(elapsed)
                .as("time from submitting one task to its completion while its submitter is blocked (for up to %s)", BLOCK)
                .isLessThan(HARD_BOUND);
    }

    /**
     * Runs a task that waits until it is the only awake worker, submits {@code count} tasks from
     * its own thread and then blocks for up to {@link #BLOCK}; returns the time from the end of
     * the submissions to the completion of the last task (0 if the last one completed before
     * the submitter had even noted the time). Fails if the blocker's wait had already ended when
     * the last task completed: the tasks would then have waited for it.
     */
    private static Duration submitThenBlock(WorkStealingPool pool, int count, String what) throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch completed = new CountDownLatch(count);
        final CountDownLatch blockerDone = new CountDownLatch(1);
        final AtomicInteger remaining = new AtomicInteger(count);
        final AtomicLong submittedAt = new AtomicLong();
        final AtomicLong lastCompletedAt = new AtomicLong();
        final AtomicReference<Throwable> blockerFailure = new AtomicReference<>();
        final AtomicReference<String> blockerState = new AtomicReference<>("not started");
        final AtomicReference<String> blockerStateAtLastCompletion = new AtomicReference<>();
        pool.execute(() -> {
            try {
                blockerState.set("waiting for the other workers to park");
                awaitUnparked(pool, 1);
                blockerState.set("submitting");
                for (int i = 0; i < count; i++) {
                    pool.execute(() -> {
                        if (remaining.decrementAndGet() == 0) {
                            lastCompletedAt.set(System.nanoTime());
                            blockerStateAtLastCompletion.set(blockerState.get());
                        }
                        completed.countDown();
                    });
                }
                submittedAt.set(System.nanoTime());
                blockerState.set("blocked");
                if (release.await(BLOCK.toNanos(), TimeUnit.NANOSECONDS)) {
                    blockerState.set("released by the test");
                } else {
                    blockerState.set("done blocking after the full " + BLOCK);
                }
            } catch (Throwable e) {
                blockerFailure.set(e);
                while (completed.getCount() > 0) {
                    completed.countDown();
                }
            } finally {
                blockerDone.countDown();
            }
        });
        try {
            // Where the stranded tasks are, taken while they are stranded: the pool's queues,
            // LIFO slots and idle word once the hard bound has passed without completion.
            String whileStranded = "not stranded";
            if (!completed.await(HARD_BOUND.toNanos(), TimeUnit.NANOSECONDS)) {
                whileStranded = completed.getCount() + " tasks left after " + HARD_BOUND + ": " + PoolTestSupport.describe(pool);
            }
            await(completed, PROMPTLY, () -> what + ": " + count + " tasks queued by a blocked worker");
            assertThat(blockerFailure.get()).as("%s: what the blocking task threw", what).isNull();
            assertThat(blockerStateAtLastCompletion.get())
                    .as("%s: the submitter when its last task completed; if its wait had ended, its tasks waited for it (%s)", what, whileStranded)
                    .isIn("submitting", "blocked");
        } finally {
            release.countDown();
            await(blockerDone, what + ": the blocking task to end");
        }
        return Duration.ofNanos(Math.max(0, lastCompletedAt.get() - submittedAt.get()));
    }

    /** Publishes a measurement as a report entry and prints it to the test's output file. */
    private static void record(TestReporter reporter, String key, String value) {
        reporter.publishEntry(key, value);
        System.out.println(WorkStealingPoolStuckWorkerTest.class.getSimpleName() + ": " + key + " = " + value);
    }

    @Test
    void aWorkerBlockedInATaskLeavesItsQueuedTasksToTheOthersEvenWithOneQueueTheSizeOfTheRing() throws Exception {
        // Fills the blocked worker's ring exactly (256 tasks: nothing overflows to the inject
        // queue), so that every task must be stolen out of the local queue or the LIFO slot.
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("ring").workers(2));
        final Duration elapsed = submitThenBlock(pool, WorkStealingPool.DEFAULT_LOCAL_QUEUE_CAPACITY, "a full ring");
        assertThat(elapsed).isLessThan(HARD_BOUND);
        long stolen = 0;
        for (int i = 0; i < pool.workerCount(); i++) {
            stolen += pool.metrics().stealCount(i);
        }
        assertThat(stolen).as("tasks stolen from the blocked worker").isGreaterThanOrEqualTo(WorkStealingPool.DEFAULT_LOCAL_QUEUE_CAPACITY);
    }
}
