package io.spindle.core;

import static io.spindle.core.PoolTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wherever several tasks become ready at once they reach the inject queue as one splice, and
 * {@link PoolMetrics#injectSpliceCount()} / {@link PoolMetrics#injectSplicedTaskCount()} say so
 * exactly: an {@code executeAll} from outside, a worker's local-queue overflow, the spill of an
 * {@code executeAll} on a worker, and timers expiring in the same tick.
 *
 * <p>Every count is read right after a latch the spliced tasks counted down, without waiting
 * for it to settle: a splice is counted before its tasks become visible to the workers, so a
 * count read then is already final.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkStealingPoolInjectSpliceTest {

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    @Test
    void anExecuteAllFromOutsideIsOneSpliceCarryingTheWholeBatch() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("batch").workers(2));
        final PoolMetrics metrics = pool.metrics();
        final long splicesBefore = metrics.injectSpliceCount();
        final long tasksBefore = metrics.injectSplicedTaskCount();
        final CountDownLatch done = new CountDownLatch(100);
        pool.executeAll(countingDown(100, done));
        assertThat(metrics.injectSpliceCount() - splicesBefore).as("splices right after executeAll returned").isEqualTo(1);
        assertThat(metrics.injectSplicedTaskCount() - tasksBefore).as("tasks spliced").isEqualTo(100);

        await(done, "the batch");
        assertThat(metrics.injectSpliceCount() - splicesBefore).as("splices once the batch ran").isEqualTo(1);
        assertThat(metrics.injectSplicedTaskCount() - tasksBefore).isEqualTo(100);
        assertThat(sum(metrics, metrics::injectSpliceCount)).as("splices made by workers").isZero();
    }

    @Test
    void singleSubmissionsFromOutsideAreNotSplices() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("singles").workers(2));
        final CountDownLatch done = new CountDownLatch(1_000);
        for (int i = 0; i < 1_000; i++) {
            pool.execute(done::countDown);
        }
        await(done, "1,000 single submissions");
        assertThat(pool.metrics().remoteScheduleCount()).isEqualTo(1_000);
        assertThat(pool.metrics().injectSpliceCount()).isZero();
        assertThat(pool.metrics().injectSplicedTaskCount()).isZero();
    }

    /**
     * One worker (so no thief frees room in its queue) runs a task that submits {@code tasks}
     * more. Every submission past the first {@value WorkStealingPool#DEFAULT_LOCAL_QUEUE_CAPACITY}
     * that reaches the local queue while it is full moves the newer half and the incoming task,
     * 129 tasks, to the inject queue in one splice, and leaves 128 behind. With the LIFO slot on,
     * the first submission waits in the slot and each later one pushes the one it displaces, so
     * one fewer reaches the queue.
     */
    @ParameterizedTest(name = "{0} tasks, LIFO slot {1}")
    @CsvSource({"300, false", "600, false", "1000, false", "300, true", "258, true"})
    void aWorkerFanningOutPastItsLocalQueueSplicesHalfOfItPlusOnePerOverflow(int tasks, boolean lifoSlot) throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("fan-out").workers(1).lifoSlot(lifoSlot));
        final PoolMetrics metrics = pool.metrics();
        final CountDownLatch done = new CountDownLatch(tasks + 1);
        pool.execute(() -> {
            for (int i = 0; i < tasks; i++) {
                pool.execute(done::countDown);
            }
            done.countDown();
        });
        await(done, "the fan-out");

        final int capacity = WorkStealingPool.DEFAULT_LOCAL_QUEUE_CAPACITY;
        final long overflows = overflowsOf(lifoSlot ? tasks - 1 : tasks, capacity);
        assertThat(overflows).as("the workload overflows at least once").isPositive();
        final long perSplice = capacity / 2 + 1;
        assertThat(metrics.overflowCount(0)).as("overflowCount(0)").isEqualTo(overflows);
        assertThat(metrics.injectSpliceCount(0)).as("injectSpliceCount(0)").isEqualTo(overflows);
        assertThat(metrics.injectSplicedTaskCount(0)).as("injectSplicedTaskCount(0)").isEqualTo(overflows * perSplice);
        assertThat(metrics.injectSpliceCount()).as("injectSpliceCount()").isEqualTo(overflows);
        assertThat(metrics.injectSplicedTaskCount()).as("injectSplicedTaskCount()").isEqualTo(overflows * perSplice);
    }

    @Test
    void aWorkerThatFansOutWithinItsLocalQueueSplicesNothing() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("fits").workers(1).lifoSlot(false));
        final int tasks = WorkStealingPool.DEFAULT_LOCAL_QUEUE_CAPACITY;
        final CountDownLatch done = new CountDownLatch(tasks + 1);
        pool.execute(() -> {
            for (int i = 0; i < tasks; i++) {
                pool.execute(done::countDown);
            }
            done.countDown();
        });
        await(done, "a fan-out that exactly fills the local queue");
        assertThat(pool.metrics().overflowCount(0)).isZero();
        assertThat(pool.metrics().injectSpliceCount()).isZero();
    }

    @Test
    void anExecuteAllOnAWorkerSendsWhatDoesNotFitInOneSplice() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("spill").workers(1));
        final PoolMetrics metrics = pool.metrics();
        final int tasks = 300;
        final CountDownLatch done = new CountDownLatch(tasks + 1);
        pool.execute(() -> {
            pool.executeAll(countingDown(tasks, done));
            done.countDown();
        });
        await(done, "a batch of 300 submitted on the worker");

        // The local queue was empty: 256 fit, 44 spill.
        final int spill = tasks - WorkStealingPool.DEFAULT_LOCAL_QUEUE_CAPACITY;
        assertThat(metrics.injectSpliceCount(0)).as("injectSpliceCount(0)").isEqualTo(1);
        assertThat(metrics.injectSplicedTaskCount(0)).as("injectSplicedTaskCount(0)").isEqualTo(spill);
        assertThat(metrics.overflowCount(0)).as("a spill is not an overflow").isZero();
        assertThat(metrics.injectSpliceCount()).isEqualTo(1);
        assertThat(metrics.injectSplicedTaskCount()).isEqualTo(spill);
    }

    /**
     * 50 timers with the same deadline, to the nanosecond (each delay is the time left until one
     * instant), fall into one 1 ms tick, or two if that instant happens to sit a few nanoseconds
     * from a tick's edge; the driver hands each tick's tasks over as one splice.
     */
    @Test
    void timersDueInTheSameTickReachTheInjectQueueAsOneSplice() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("timers").workers(2));
        final PoolMetrics metrics = pool.metrics();
        final int timers = 50;
        final CountDownLatch done = new CountDownLatch(timers);
        final long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
        for (int i = 0; i < timers; i++) {
            pool.schedule(done::countDown, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        assertThat(metrics.pendingTimers()).as("every timer waits in a wheel").isEqualTo(timers);
        await(done, "50 timers");

        assertThat(metrics.injectSplicedTaskCount()).as("tasks the timer driver spliced").isEqualTo(timers);
        assertThat(metrics.injectSpliceCount()).as("splices the timer driver made").isBetween(1L, 2L);
        assertThat(sum(metrics, metrics::injectSpliceCount)).as("splices made by workers").isZero();
    }

    /** Overflows of a ring of {@code capacity} that receives {@code pushes} with nobody taking. */
    private static long overflowsOf(int pushes, int capacity) {
        long overflows = 0;
        int depth = 0;
        for (int i = 0; i < pushes; i++) {
            if (depth == capacity) {
                overflows++;
                depth = capacity / 2;
            } else {
                depth++;
            }
        }
        return overflows;
    }

    private static List<Runnable> countingDown(int n, CountDownLatch latch) {
        final List<Runnable> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(latch::countDown);
        }
        return tasks;
    }

    private static long sum(PoolMetrics metrics, IntToLongFunction perWorker) {
        long sum = 0;
        for (int i = 0; i < metrics.workers(); i++) {
            sum += perWorker.applyAsLong(i);
        }
        return sum;
    }
}
