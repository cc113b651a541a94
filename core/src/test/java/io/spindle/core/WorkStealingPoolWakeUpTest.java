package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static io.spindle.core.PoolTestSupport.awaitAllParked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No lost wake-ups: work submitted while every worker is parked, or while workers are on their
 * way to parking, always finds a worker; and a burst after an idle period reaches every worker,
 * not just the first one woken.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WorkStealingPoolWakeUpTest {

    private static final int ROUNDS = 100_000;
    private static final int BURSTS = 20;

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    /**
     * Ping-pong: the test thread submits one task and waits for it; the pool has just gone idle
     * (or is going idle) each time, which is where a lost wake-up would hide. Each round must
     * finish within a bound that only a lost wake-up can exceed.
     */
    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {2, 4})
    void everyTaskSubmittedFromOutsideToAnIdlingPoolRuns(int workers) throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("ping").workers(workers));
        final Semaphore done = new Semaphore(0);
        final Runnable pong = done::release;
        for (int round = 0; round < ROUNDS; round++) {
            pool.execute(pong);
            if (!done.tryAcquire(5, TimeUnit.SECONDS)) {
                fail("round %d of %d: the task did not run within 5 s (lost wake-up?): %s", round, ROUNDS, pool);
            }
        }
        assertThat(pool.metrics().remoteScheduleCount()).isEqualTo(ROUNDS);
    }

    /**
     * After the pool has been idle (every worker parked), a burst of as many tasks as there are
     * workers, each waiting on one barrier, must get every worker running: the barrier trips
     * only if all of them run at once. Bursts alternate between one {@code executeAll} (one
     * splice, one wake-up for the pool to ramp up from) and one {@code execute} per task.
     */
    @Test
    void burstsAfterIdlePeriodsReachEveryWorker() throws Exception {
        final int workers = 4;
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("burst").workers(workers));
        for (int burst = 1; burst <= BURSTS; burst++) {
            awaitAllParked(pool);
            final CyclicBarrier barrier = new CyclicBarrier(workers);
            final CountDownLatch finished = new CountDownLatch(workers);
            final Set<Thread> threads = ConcurrentHashMap.newKeySet();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Runnable> tasks = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                tasks.add(() -> {
                    threads.add(Thread.currentThread());
                    try {
                        barrier.await(PROMPTLY.toNanos(), TimeUnit.NANOSECONDS);
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        finished.countDown();
                    }
                });
            }
            final boolean batch = burst % 2 == 1;
            if (batch) {
                pool.executeAll(tasks);
            } else {
                tasks.forEach(pool::execute);
            }
            final int b = burst;
            await(finished, PROMPTLY.plus(PROMPTLY), () -> "burst " + b + " to finish");
            assertThat(failure.get())
                    .as("burst %d (%s): the barrier for %d tasks did not trip; tasks ran on %d threads",
                            burst, batch ? "executeAll" : "execute", workers, threads.size())
                    .isNull();
            assertThat(threads).as("burst %d: distinct threads", burst).hasSize(workers);
        }
    }
}
