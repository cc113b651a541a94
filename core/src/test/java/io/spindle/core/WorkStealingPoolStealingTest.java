package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Idle workers take work from a busy one: a worker that floods its own queue does not keep the
 * flood to itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkStealingPoolStealingTest {

    private static final int FLOOD = 100_000;
    private static final Duration FLOOD_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    /**
     * One task submits {@value #FLOOD} tasks from its own worker thread (LIFO slot, local
     * queue, overflow to the inject queue) and then stays on that worker until all of them have
     * run elsewhere. Whatever was still in its LIFO slot and local ring when it finished
     * submitting can then only have been stolen, so the steal counters must move.
     */
    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {2, 4})
    void idleWorkersStealFromAWorkerThatFloodsItsOwnQueue(int workers) throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("flood").workers(workers));
        final Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        final CountDownLatch allRan = new CountDownLatch(FLOOD);
        final CountDownLatch flooderDone = new CountDownLatch(1);
        final AtomicReference<Thread> flooder = new AtomicReference<>();
        final AtomicReference<Throwable> flooderFailure = new AtomicReference<>();
        pool.execute(() -> {
            flooder.set(Thread.currentThread());
            try {
                for (int i = 0; i < FLOOD; i++) {
                    pool.execute(() -> {
                        ranOn.add(Thread.currentThread());
                        allRan.countDown();
                    });
                }
                allRan.await(FLOOD_BOUND.toNanos(), TimeUnit.NANOSECONDS);
            } catch (Throwable e) {
                flooderFailure.set(e);
            } finally {
                flooderDone.countDown();
            }
        });
        await(flooderDone, Duration.ofSeconds(FLOOD_BOUND.toSeconds() + PROMPTLY.toSeconds()), () -> "the flooding task");
        assertThat(flooderFailure.get()).as("what the flooding task threw").isNull();
        assertThat(allRan.getCount())
                .as("flood tasks not run while their submitter stayed busy on its worker for %s: %s",
                        FLOOD_BOUND, PoolTestSupport.describe(pool))
                .isZero();

        long stolen = 0;
        for (int i = 0; i < workers; i++) {
            stolen += pool.metrics().stealCount(i);
        }
        assertThat(stolen).as("sum of metrics().stealCount(i)").isPositive();
        // At least two threads took part: the flooder's, which ran the submitting task, and
        // others, which ran every flood task while the flooder stayed busy. (How many others is
        // up to the scheduler: on two cores one thief can drain the whole flood by itself.)
        assertThat(ranOn).as("threads that ran flood tasks").isNotEmpty().doesNotContain(flooder.get());
    }
}
