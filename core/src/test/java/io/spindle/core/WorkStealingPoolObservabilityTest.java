package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static io.spindle.core.PoolTestSupport.awaitAllParked;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The observability metrics of issue #7 against workloads of known shape: external and local
 * submissions and a forced imbalance give exact counts, LIFO chains count their forced yields,
 * the histogram counts every task in the right bucket, and a 10-second reader never sees an
 * exception or a negative value.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WorkStealingPoolObservabilityTest {

    /** The "10-second run". */
    private static final Duration READER_RUN = Duration.ofSeconds(10);

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    /**
     * N external submits, then one of them fans out M local submits and holds its worker until
     * the other worker has run them all: every one of the M is a steal by that other worker.
     */
    @Test
    void aKnownWorkloadGivesExactCountsAndAForcedImbalanceGivesSteals() throws Exception {
        final int external = 1_000;
        final int local = 200;
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("shape").workers(2));
        final CountDownLatch externalDone = new CountDownLatch(external);
        for (int i = 0; i < external; i++) {
            pool.execute(externalDone::countDown);
        }
        await(externalDone, "the external tasks");
        awaitAllParked(pool);
        final PoolMetrics metrics = pool.metrics();
        final long stealsBefore = sum(metrics, metrics::stealCount);

        final CountDownLatch localDone = new CountDownLatch(local);
        final AtomicReference<Thread> spawner = new AtomicReference<>();
        final ConcurrentLinkedQueue<Thread> ranOn = new ConcurrentLinkedQueue<>();
        final CountDownLatch spawnerDone = new CountDownLatch(1);
        pool.execute(() -> {
            spawner.set(Thread.currentThread());
            for (int i = 0; i < local; i++) {
                pool.execute(() -> {
                    ranOn.add(Thread.currentThread());
                    localDone.countDown();
                });
            }
            try {
                localDone.await(2 * PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            spawnerDone.countDown();
        });
        await(spawnerDone, "the spawner, released once the other worker ran its tasks");
        assertThat(localDone.getCount()).isZero();
        awaitAllParked(pool);

        assertThat(ranOn).doesNotContain(spawner.get());
        assertThat(metrics.remoteScheduleCount()).isEqualTo(external + 1);
        assertThat(sum(metrics, metrics::localScheduleCount)).isEqualTo(local);
        assertThat(metrics.totalTasksExecuted()).isEqualTo(external + 1 + local);
        assertThat(sum(metrics, metrics::pollCount)).isEqualTo(external + 1 + local);
        assertThat(sum(metrics, metrics::stealCount) - stealsBefore).as("tasks stolen from the spawner").isEqualTo(local);
        assertThat(sum(metrics, metrics::stealOperations)).isPositive();
        assertThat(sum(metrics, metrics::overflowCount)).as("no overflow: %d tasks fit in 256 slots", local).isZero();
        assertThat(sum(metrics, metrics::stallCount)).isZero();
        assertThat(metrics.injectQueueDepth()).isZero();
        for (int i = 0; i < metrics.workers(); i++) {
            assertThat(metrics.localQueueDepth(i)).as("localQueueDepth(%d) when idle", i).isZero();
            assertThat(metrics.parkCount(i)).as("parkCount(%d)", i).isPositive();
            assertThat(metrics.busyDuration(i)).as("busyDuration(%d)", i).isPositive();
        }
    }

    /**
     * A chain of L tasks, each submitting the next from its worker, on one worker: every fourth
     * link is a LIFO run past the cap of three, so the link it submits goes to the back of the
     * queue instead: (L - 1) / 4 forced yields. Without the LIFO slot there is no budget to run
     * out of.
     */
    @Test
    void budgetForcedYieldsCountChainsCutShortByTheLifoCap() throws Exception {
        final int length = 101;
        assertThat(runChain(pools.build(WorkStealingPool.builder().name("capped").workers(1)), length))
                .isEqualTo((length - 1) / (Worker.MAX_LIFO_POLLS + 1));
        assertThat(runChain(pools.build(WorkStealingPool.builder().name("no-lifo").workers(1).lifoSlot(false)), length)).isZero();
    }

    private static long runChain(WorkStealingPool pool, int length) throws InterruptedException {
        final CountDownLatch done = new CountDownLatch(1);
        pool.execute(new Runnable() {
            private int left = length;

            @Override
            public void run() {
                if (--left == 0) {
                    done.countDown();
                } else {
                    pool.execute(this);
                }
            }
        });
        await(done, "the chain");
        return pool.metrics().budgetForcedYieldCount(0);
    }

    @Test
    void theTaskDurationHistogramCountsEveryTaskInItsBucket() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("timed").workers(2).taskDurationHistogram(true));
        final int quick = 1_000;
        final int slow = 3;
        final CountDownLatch done = new CountDownLatch(quick + slow);
        for (int i = 0; i < slow; i++) {
            pool.execute(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        for (int i = 0; i < quick; i++) {
            pool.execute(done::countDown);
        }
        await(done, "every task");
        awaitAllParked(pool);
        final PoolMetrics metrics = pool.metrics();
        final int buckets = metrics.taskDurationHistogramBuckets();
        long total = 0;
        long twentyMillisOrMore = 0;
        for (int b = 0; b < buckets; b++) {
            for (int w = 0; w < metrics.workers(); w++) {
                final long count = metrics.taskDurationBucketCount(w, b);
                total += count;
                if (metrics.taskDurationBucketUpperBound(b).compareTo(Duration.ofMillis(20)) > 0) {
                    twentyMillisOrMore += count;
                }
            }
        }
        assertThat(total).isEqualTo(metrics.totalTasksExecuted()).isEqualTo(quick + slow);
        assertThat(twentyMillisOrMore).as("tasks in buckets reaching past 20 ms").isGreaterThanOrEqualTo(slow);
    }

    @Test
    void histogramBucketsAreLogScaleContiguousAndCoverEveryDuration() {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("buckets").workers(1));
        final PoolMetrics metrics = pool.metrics();
        final int buckets = metrics.taskDurationHistogramBuckets();
        assertThat(buckets).isEqualTo(24);
        assertThat(metrics.taskDurationBucketLowerBound(0)).isZero();
        assertThat(metrics.taskDurationBucketUpperBound(0)).isEqualTo(Duration.ofNanos(1024));
        for (int b = 1; b < buckets; b++) {
            assertThat(metrics.taskDurationBucketLowerBound(b)).isEqualTo(metrics.taskDurationBucketUpperBound(b - 1));
            if (b < buckets - 1) {
                assertThat(metrics.taskDurationBucketUpperBound(b)).isEqualTo(metrics.taskDurationBucketLowerBound(b).multipliedBy(2));
            }
        }
        assertThat(metrics.taskDurationBucketUpperBound(buckets - 1)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
        for (long nanos : new long[] {0, 1, 1023, 1024, 2047, 2048, 1_000_000, 4_294_967_295L, 4_294_967_296L, Long.MAX_VALUE}) {
            final int b = TaskDurationHistogram.bucket(nanos);
            assertThat(nanos).as("bucket %d", b)
                    .isGreaterThanOrEqualTo(TaskDurationHistogram.lowerBoundNanos(b))
                    .isLessThanOrEqualTo(b == buckets - 1 ? Long.MAX_VALUE : TaskDurationHistogram.upperBoundNanos(b) - 1);
        }
        assertThat(metrics.taskDurationHistogramEnabled()).isFalse();
        assertThat(metrics.taskDurationBucketCount(0, 0)).isZero();
        for (int bad : new int[] {-1, buckets}) {
            assertThatThrownBy(() -> metrics.taskDurationBucketLowerBound(bad)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("0..23").hasMessageContaining(String.valueOf(bad));
            assertThatThrownBy(() -> metrics.taskDurationBucketUpperBound(bad)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> metrics.taskDurationBucketCount(0, bad)).isInstanceOf(IndexOutOfBoundsException.class);
        }
        assertThatThrownBy(() -> metrics.taskDurationBucketCount(1, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("0..0");
    }

    /**
     * Every metric, the new ones included, read in a loop for 10 s from another thread while the
     * pool runs external floods, fan-outs that overflow, LIFO chains, timers (some firing, some
     * cancelled) and occasional stalls:
     * nothing throws, nothing is negative, no counter goes backwards.
     */
    @Test
    void readingEveryMetricDuringATenSecondRunNeverThrowsOrGoesNegative() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("observed-10s").workers(3)
                .localQueueCapacity(64).taskDurationHistogram(true).stallThreshold(Duration.ofMillis(20)).stallListener(stall -> {}));
        final PoolMetrics metrics = pool.metrics();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<String> violations = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong passes = new AtomicLong();
        final Thread reader = new Thread(() -> {
            try {
                final int workers = metrics.workers();
                final int buckets = metrics.taskDurationHistogramBuckets();
                final int perWorker = 11;
                final long[][] last = new long[workers][perWorker + buckets];
                while (!stop.get() && violations.size() < 20) {
                    if (metrics.injectQueueDepth() < 0 || metrics.remoteScheduleCount() < 0 || metrics.totalTasksExecuted() < 0
                            || metrics.pendingTimers() < 0) {
                        violations.add("a pool-wide value is negative");
                    }
                    for (int w = 0; w < workers; w++) {
                        final long[] now = new long[perWorker + buckets];
                        now[0] = metrics.localQueueDepth(w);
                        now[1] = metrics.stealCount(w);
                        now[2] = metrics.stealOperations(w);
                        now[3] = metrics.overflowCount(w);
                        now[4] = metrics.pollCount(w);
                        now[5] = metrics.parkCount(w);
                        now[6] = metrics.noopCount(w);
                        now[7] = metrics.localScheduleCount(w);
                        now[8] = metrics.busyDuration(w).toNanos();
                        now[9] = metrics.budgetForcedYieldCount(w);
                        now[10] = metrics.stallCount(w);
                        for (int b = 0; b < buckets; b++) {
                            now[perWorker + b] = metrics.taskDurationBucketCount(w, b);
                        }
                        if (metrics.meanTaskTime(w).isNegative()) {
                            violations.add("meanTaskTime(" + w + ") is negative");
                        }
                        for (int c = 0; c < now.length; c++) {
                            if (now[c] < 0) {
                                violations.add("value " + c + " of worker " + w + " = " + now[c]);
                            } else if (c > 0 && now[c] < last[w][c]) {
                                violations.add("counter " + c + " of worker " + w + " went backwards");
                            }
                        }
                        last[w] = now;
                    }
                    passes.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "metrics-reader-10s");
        reader.start();

        final long end = System.nanoTime() + READER_RUN.toNanos();
        int round = 0;
        try {
            while (System.nanoTime() - end < 0) {
                round++;
                final boolean stallThisRound = round % 50 == 0;
                final CountDownLatch done = new CountDownLatch(500 + 300 + 2 + 20 + (stallThisRound ? 1 : 0));
                for (int i = 0; i < 500; i++) {
                    pool.execute(done::countDown);
                }
                for (int i = 0; i < 20; i++) {
                    pool.schedule(done::countDown, i % 3, TimeUnit.MILLISECONDS);
                    pool.schedule(done::countDown, 1, TimeUnit.HOURS).cancel(false);
                }
                pool.execute(() -> {
                    for (int i = 0; i < 299; i++) {
                        pool.execute(done::countDown);
                    }
                    done.countDown();
                });
                for (int c = 0; c < 2; c++) {
                    pool.execute(new Chain(pool, 10, done));
                }
                if (stallThisRound) {
                    pool.execute(() -> {
                        try {
                            Thread.sleep(40);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        done.countDown();
                    });
                }
                final int r = round;
                await(done, PROMPTLY, () -> "round " + r);
            }
        } finally {
            stop.set(true);
            reader.join(PROMPTLY.toMillis());
        }
        assertThat(failure.get()).as("what the reader threw").isNull();
        assertThat(passes.get()).isPositive();
        assertThat(violations).as("violations in %d passes", passes.get()).isEmpty();
        assertThat(sum(metrics, metrics::stallCount)).as("stalls of the 40 ms tasks").isPositive();
        awaitAllParked(pool);
        assertThat(metrics.injectQueueDepth()).isZero();
        assertThat(metrics.pendingTimers()).isZero();
        for (int w = 0; w < metrics.workers(); w++) {
            assertThat(metrics.localQueueDepth(w)).isZero();
        }
    }

    /** A task that resubmits itself from inside the pool until it has run {@code left} times. */
    private static final class Chain implements Runnable {
        private final WorkStealingPool pool;
        private final CountDownLatch done;
        private int left;

        Chain(WorkStealingPool pool, int left, CountDownLatch done) {
            this.pool = pool;
            this.left = left;
            this.done = done;
        }

        @Override
        public void run() {
            if (--left > 0) {
                pool.execute(this);
            } else {
                done.countDown();
            }
        }
    }

    private static long sum(PoolMetrics metrics, IntToLongFunction perWorker) {
        long sum = 0;
        for (int i = 0; i < metrics.workers(); i++) {
            sum += perWorker.applyAsLong(i);
        }
        return sum;
    }
}
