package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code executeAll}: batch submission, all or nothing. "Nothing ran" is checked after
 * {@code shutdown()} and termination: a task that had been queued would have run by then.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkStealingPoolExecuteAllTest {

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    private final LongAdder ran = new LongAdder();

    private List<Runnable> counting(int n, CountDownLatch latch) {
        final List<Runnable> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(() -> {
                ran.increment();
                latch.countDown();
            });
        }
        return tasks;
    }

    private void shutdownAndAwait(WorkStealingPool pool) throws InterruptedException {
        pool.shutdown();
        assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).as("terminated: %s", pool).isTrue();
    }

    @Test
    void aBatchFromOutsideAllRuns() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("batch").workers(4));
        final CountDownLatch done = new CountDownLatch(10_000);
        pool.executeAll(counting(10_000, done));
        await(done, "a batch of 10,000 from outside");
        assertThat(ran.sum()).isEqualTo(10_000);
        assertThat(pool.metrics().remoteScheduleCount()).isEqualTo(10_000);
    }

    @Test
    void anEmptyBatchIsANoOp() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("empty").workers(1));
        assertThatCode(() -> pool.executeAll(List.of())).doesNotThrowAnyException();
        assertThat(pool.metrics().remoteScheduleCount()).isZero();
    }

    @Test
    void aNullCollectionIsRejectedWithNullPointerException() {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("null-batch").workers(1));
        assertThatThrownBy(() -> pool.executeAll(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("tasks");
    }

    @Test
    void aNullElementRejectsTheWholeBatchAndNothingRuns() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("null-element").workers(2));
        final CountDownLatch unused = new CountDownLatch(2);
        final List<Runnable> batch = new ArrayList<>(counting(2, unused));
        batch.add(1, null);
        assertThatThrownBy(() -> pool.executeAll(batch)).isInstanceOf(NullPointerException.class).hasMessageContaining("1");
        shutdownAndAwait(pool);
        assertThat(ran.sum()).as("tasks of the rejected batch that ran").isZero();
        assertThat(pool.metrics().remoteScheduleCount()).isZero();
    }

    @Test
    void aNullElementInABatchFromInsideRejectsTheWholeBatchAndNothingRuns() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("null-inside").workers(2));
        final CountDownLatch unused = new CountDownLatch(3);
        final List<Runnable> batch = new ArrayList<>(counting(3, unused));
        batch.add(null);
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final CountDownLatch submitted = new CountDownLatch(1);
        pool.execute(() -> {
            try {
                pool.executeAll(batch);
            } catch (Throwable e) {
                thrown.set(e);
            }
            submitted.countDown();
        });
        await(submitted, "the batch submitted from inside");
        assertThat(thrown.get()).isInstanceOf(NullPointerException.class);
        shutdownAndAwait(pool);
        assertThat(ran.sum()).as("tasks of the rejected batch that ran").isZero();
    }

    @Test
    void aBatchAfterShutdownIsRejectedAndNothingRuns() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("closed-batch").workers(2));
        pool.shutdown();
        final CountDownLatch unused = new CountDownLatch(10);
        assertThatThrownBy(() -> pool.executeAll(counting(10, unused)))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("closed-batch");
        assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ran.sum()).isZero();
    }

    @Test
    void aBatchLargerThanTheLocalQueueFromInsideAWorkerAllRuns() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("big-local").workers(2));
        final CountDownLatch done = new CountDownLatch(1_000);
        final List<Runnable> batch = counting(1_000, done);
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        pool.execute(() -> {
            try {
                pool.executeAll(batch);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        await(done, "a batch of 1,000 (local capacity 256) from inside a worker");
        assertThat(thrown.get()).isNull();
        assertThat(ran.sum()).isEqualTo(1_000);
        assertThat(pool.metrics().remoteScheduleCount()).as("remote schedules: only the submitting task").isEqualTo(1);
    }

    @Test
    void batchesLargerThanTheLocalQueueFromInsideAWorkerWithATinyQueueAllRun() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("tiny").workers(2).localQueueCapacity(4));
        final int batches = 50;
        final int perBatch = 100;
        final CountDownLatch done = new CountDownLatch(batches * perBatch);
        for (int b = 0; b < batches; b++) {
            final List<Runnable> batch = counting(perBatch, done);
            pool.execute(() -> pool.executeAll(batch));
        }
        await(done, "50 batches of 100 with a local capacity of 4");
        assertThat(ran.sum()).isEqualTo(batches * perBatch);
    }

    /** A collection whose size() disagrees with what its iterator yields (a concurrently modified one, say). */
    private static Collection<Runnable> claimingSize(List<Runnable> tasks, int claimedSize) {
        return new AbstractCollection<>() {
            @Override
            public Iterator<Runnable> iterator() {
                return tasks.iterator();
            }

            @Override
            public int size() {
                return claimedSize;
            }
        };
    }

    @Test
    void aCollectionWhoseSizeDisagreesWithItsElementsIsRejectedAndNothingRuns() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("liar").workers(1));
        final CountDownLatch unused = new CountDownLatch(3);
        final List<Runnable> tasks = counting(3, unused);
        assertThatThrownBy(() -> pool.executeAll(claimingSize(tasks, 2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.executeAll(claimingSize(tasks, 4))).isInstanceOf(IllegalArgumentException.class);
        shutdownAndAwait(pool);
        assertThat(ran.sum()).isZero();
    }
}
