package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static io.spindle.core.PoolTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The global-queue interval guarantees progress for work from outside: even when every worker's
 * own queue never runs dry, each worker takes a task from the inject queue every
 * {@code globalQueueInterval} ticks, so a batch submitted from outside completes.
 *
 * <p>Every worker is kept busy by self-resubmitting "spinner" tasks, two per worker: each turn
 * spins for about {@value #SPIN_NANOS} ns and executes itself again from inside the pool (the
 * LIFO slot when it is on, else the back of the local queue). The test first waits until every
 * worker is running spinners; from then on no worker's local queue can run dry (the running
 * spinner always resubmits itself to its own worker), so the batch can only be served by the
 * interval, which the test checks by seeing that no worker parked while the batch ran.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkStealingPoolGlobalQueueIntervalTest {

    private static final int WORKERS = 2;
    private static final int SPINNERS_PER_WORKER = 2;
    private static final long SPIN_NANOS = 10_000;
    private static final int BATCH = 10_000;
    /**
     * The batch for a fixed interval of 31 with the LIFO slot on. Serving a batch this way costs
     * about batch / workers × interval × (spinner turns per tick) × {@value #SPIN_NANOS} ns, and
     * with the LIFO slot on a tick runs a spinner up to 4 times in a row (the LIFO cap), so
     * 10,000 tasks would take 6 s of spinning on an idle two-core machine and came close to the
     * 30 s bound on a loaded one (28 s measured at a load average of 8). 1,000 tasks exercise
     * the same path: every one of them still has to wait for an interval check.
     */
    private static final int SMALL_BATCH = 1_000;
    private static final Duration BATCH_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    /** {@code interval} 0 means the default, self-tuning interval. */
    @ParameterizedTest(name = "globalQueueInterval={0}, lifoSlot={1}, batch={2}")
    @CsvSource({
        "0, true, " + BATCH,
        "1, true, " + BATCH,
        "31, true, " + SMALL_BATCH,
        "0, false, " + BATCH,
        "31, false, " + BATCH,
    })
    void aBatchFromOutsideCompletesWhileEveryWorkerIsKeptBusyByLocalWork(int interval, boolean lifoSlot, int size, TestReporter reporter)
            throws Exception {
        final WorkStealingPool.Builder builder = WorkStealingPool.builder().name("busy").workers(WORKERS).lifoSlot(lifoSlot);
        if (interval > 0) {
            builder.globalQueueInterval(interval);
        }
        final WorkStealingPool pool = pools.build(builder);
        final AtomicBoolean stop = new AtomicBoolean();
        final Set<Thread> spinning = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < SPINNERS_PER_WORKER * WORKERS; i++) {
            pool.execute(new Spinner(pool, stop, spinning));
        }
        try {
            awaitCondition(() -> spinning.size() == WORKERS, PROMPTLY, () -> "every worker to run spinners, only " + spinning);
            final long[] parksBefore = parkCounts(pool);

            final CountDownLatch done = new CountDownLatch(size);
            final List<Runnable> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(done::countDown);
            }
            final long start = System.nanoTime();
            pool.executeAll(batch);
            await(done, BATCH_BOUND, () -> size + " tasks from outside while every worker is busy with local work: " + pool);
            final Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            reporter.publishEntry("batch completed in", elapsed.toString());
            System.out.println(getClass().getSimpleName() + ": interval=" + interval + " lifoSlot=" + lifoSlot + " batch of " + size
                    + " completed in " + elapsed);

            assertThat(parkCounts(pool))
                    .as("park counts: a worker that parked was not busy, and the test would not have exercised the interval")
                    .containsExactly(parksBefore);
        } finally {
            stop.set(true);
        }
    }

    private static long[] parkCounts(WorkStealingPool pool) {
        final long[] counts = new long[pool.workerCount()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = pool.metrics().parkCount(i);
        }
        return counts;
    }

    /** Spins for {@link #SPIN_NANOS}, then runs again from inside the pool, until stopped. */
    private static final class Spinner implements Runnable {
        private final WorkStealingPool pool;
        private final AtomicBoolean stop;
        private final Set<Thread> spinning;

        Spinner(WorkStealingPool pool, AtomicBoolean stop, Set<Thread> spinning) {
            this.pool = pool;
            this.stop = stop;
            this.spinning = spinning;
        }

        @Override
        public void run() {
            final Thread current = Thread.currentThread();
            if (!spinning.contains(current)) {
                spinning.add(current);
            }
            final long until = System.nanoTime() + SPIN_NANOS;
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            if (!stop.get()) {
                pool.execute(this);
            }
        }
    }
}
