package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PoolMetrics} as its contract states: counters count exactly what they name, depths
 * return to 0 when the pool is idle, per-worker indices are checked, and any thread may read
 * any metric at any time without an exception, a negative value or a counter going backwards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkStealingPoolMetricsTest {

    /** How long the depth readers run. Every metric is read during a 10 s run in WorkStealingPoolObservabilityTest. */
    private static final Duration READER_RUN = Duration.ofSeconds(2);

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    @Test
    void remoteScheduleCountCountsEveryTaskSubmittedFromOutsideAndNoneFromInside() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("remote").workers(2));
        final int singles = 1_000;
        final int batch = 500;
        final CountDownLatch done = new CountDownLatch(singles + batch + 2 * 100);
        for (int i = 0; i < singles; i++) {
            pool.execute(done::countDown);
        }
        final List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            tasks.add(done::countDown);
        }
        pool.executeAll(tasks);
        assertThat(pool.metrics().remoteScheduleCount()).as("right after the submissions returned").isEqualTo(singles + batch);

        // 2 more remote submissions, each of which submits 100 tasks from inside: not remote.
        for (int s = 0; s < 2; s++) {
            pool.execute(() -> {
                for (int i = 0; i < 99; i++) {
                    pool.execute(done::countDown);
                }
                done.countDown();
            });
        }
        await(done, "every task");
        assertThat(pool.metrics().remoteScheduleCount()).isEqualTo(singles + batch + 2);
    }

    @Test
    void aTaskSubmittedFromAnotherPoolsWorkerIsARemoteScheduleThere() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("target").workers(1));
        final WorkStealingPool other = pools.build(WorkStealingPool.builder().name("other").workers(1));
        final CountDownLatch done = new CountDownLatch(10);
        other.execute(() -> {
            for (int i = 0; i < 10; i++) {
                pool.execute(done::countDown);
            }
        });
        await(done, "tasks submitted to one pool from the other's worker");
        assertThat(pool.metrics().remoteScheduleCount()).isEqualTo(10);
        assertThat(other.metrics().remoteScheduleCount()).isEqualTo(1);
        long otherLocal = 0;
        for (int i = 0; i < other.workerCount(); i++) {
            otherLocal += other.metrics().localScheduleCount(i);
        }
        assertThat(otherLocal).as("local schedules on the submitting pool").isZero();
    }

    @Test
    void localScheduleCountAndTotalTasksExecutedCountExactly() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("local").workers(3));
        final int spawners = 10;
        final int singles = 50;
        final int batch = 30;
        final int total = spawners * (1 + singles + batch);
        final CountDownLatch done = new CountDownLatch(total);
        for (int s = 0; s < spawners; s++) {
            pool.execute(() -> {
                for (int i = 0; i < singles; i++) {
                    pool.execute(done::countDown);
                }
                final List<Runnable> tasks = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    tasks.add(done::countDown);
                }
                pool.executeAll(tasks);
                done.countDown();
            });
        }
        await(done, "every task");
        final PoolMetrics metrics = pool.metrics();
        assertThat(sum(metrics, metrics::localScheduleCount)).as("sum of localScheduleCount(i)").isEqualTo(spawners * (singles + batch));
        assertThat(metrics.remoteScheduleCount()).isEqualTo(spawners);
        assertThat(metrics.totalTasksExecuted()).as("totalTasksExecuted()").isEqualTo(total);
        assertThat(sum(metrics, metrics::pollCount)).as("sum of pollCount(i)").isEqualTo(total);
    }

    @Test
    void queueDepthsReturnToZeroWhenThePoolIsIdle() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("depth").workers(2));
        final PoolMetrics metrics = pool.metrics();
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch queued = new CountDownLatch(2);
        final CountDownLatch done = new CountDownLatch(2 + 2 * 200 + 1_000);
        for (int g = 0; g < 2; g++) {
            pool.execute(() -> {
                for (int i = 0; i < 200; i++) {
                    pool.execute(done::countDown);
                }
                queued.countDown();
                try {
                    gate.await(2 * PROMPTLY.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        await(queued, "both gate tasks to queue theirs");
        for (int i = 0; i < 1_000; i++) {
            pool.execute(done::countDown);
        }
        // Some of the queued work is visible while it waits (the other worker may steal some
        // of it, but not all while it is held in the other gate task).
        assertThat(metrics.injectQueueDepth() + sum(metrics, metrics::localQueueDepth)).as("queued while the workers are held").isPositive();
        gate.countDown();
        await(done, "every task");
        assertThat(metrics.injectQueueDepth()).as("injectQueueDepth() when idle").isZero();
        for (int i = 0; i < metrics.workers(); i++) {
            assertThat(metrics.localQueueDepth(i)).as("localQueueDepth(%d) when idle", i).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 3, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void aWorkerIndexOutOfRangeIsRejectedWithTheRangeInTheMessage(int index) {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("index").workers(3));
        final PoolMetrics metrics = pool.metrics();
        final List<IntFunction<Object>> perWorker = List.of(
                metrics::localQueueDepth, metrics::stealCount, metrics::stealOperations, metrics::overflowCount,
                metrics::injectSpliceCount, metrics::injectSplicedTaskCount, metrics::pollCount, metrics::parkCount, metrics::noopCount, metrics::localScheduleCount,
                metrics::busyDuration, metrics::meanTaskTime, metrics::budgetForcedYieldCount, metrics::stallCount,
                w -> metrics.taskDurationBucketCount(w, 0));
        for (IntFunction<Object> metric : perWorker) {
            assertThatThrownBy(() -> metric.apply(index))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("0..2")
                    .hasMessageContaining(String.valueOf(index));
        }
    }

    /**
     * "A value is exact at some instant during the call": a local queue's depth is therefore
     * never more than its capacity, however busy the queue is while it is read. One worker runs
     * a chain that pushes to and pops from its local queue as fast as it can (the LIFO slot is
     * off, so every link goes through the ring) while reader threads sample the depth. A reader
     * that loads the head, loses its CPU, and loads the tail after the owner has cycled through
     * more than a ring's worth of tasks gets the difference of two indices that never coexisted.
     * The readers stop at the first impossible value or after {@link #READER_RUN}.
     */
    @Test
    void localQueueDepthNeverExceedsTheQueueCapacityWhileTheQueueIsBusy() throws Exception {
        final int capacity = 16;
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("sampled").workers(1).lifoSlot(false).localQueueCapacity(capacity));
        final AtomicBoolean stop = new AtomicBoolean();
        final ConcurrentLinkedQueue<String> impossible = new ConcurrentLinkedQueue<>();
        pool.execute(new Runnable() {
            @Override
            public void run() {
                if (!stop.get()) {
                    pool.execute(this);
                }
            }
        });
        final int readers = 3;
        final CountDownLatch readersDone = new CountDownLatch(readers);
        final AtomicLong samples = new AtomicLong();
        for (int r = 0; r < readers; r++) {
            new Thread(() -> {
                long count = 0;
                final long end = System.nanoTime() + READER_RUN.toNanos();
                while (impossible.isEmpty() && System.nanoTime() - end < 0) {
                    for (int i = 0; i < 1_000; i++) {
                        final int depth = pool.metrics().localQueueDepth(0);
                        if (depth < 0 || depth > capacity) {
                            impossible.add("localQueueDepth(0) = " + depth);
                        }
                    }
                    count += 1_000;
                }
                samples.addAndGet(count);
                readersDone.countDown();
            }, "depth-reader-" + r).start();
        }
        try {
            await(readersDone, READER_RUN.plus(PROMPTLY), () -> "the depth readers");
        } finally {
            stop.set(true);
        }
        assertThat(impossible).as("depths outside 0..%d (the ring's capacity) in %d samples", capacity, samples.get()).isEmpty();
    }

    private static long sum(PoolMetrics metrics, IntFunction<? extends Number> perWorker) {
        long sum = 0;
        for (int i = 0; i < metrics.workers(); i++) {
            sum += perWorker.apply(i).longValue();
        }
        return sum;
    }
}
