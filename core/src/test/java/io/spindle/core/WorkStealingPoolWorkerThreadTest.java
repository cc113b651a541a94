package io.spindle.core;

import static io.spindle.core.PoolTestSupport.await;
import static io.spindle.core.PoolTestSupport.workerThreads;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code isWorkerThread(t)}: true exactly for this pool's own worker threads; {@code currentPool()}: the pool of the calling worker. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkStealingPoolWorkerThreadTest {

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    @Test
    void isWorkerThreadIsTrueForEveryThreadOfThePoolAndNoOther() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("mine").workers(3));
        final WorkStealingPool other = pools.build(WorkStealingPool.builder().name("theirs").workers(2));
        final Set<Thread> mine = workerThreads(pool);
        final Set<Thread> theirs = workerThreads(other);

        assertThat(mine).hasSize(3).allMatch(pool::isWorkerThread, "isWorkerThread").noneMatch(other::isWorkerThread, "other.isWorkerThread");
        assertThat(theirs).hasSize(2).allMatch(other::isWorkerThread, "isWorkerThread").noneMatch(pool::isWorkerThread, "pool.isWorkerThread");
        assertThat(pool.isWorkerThread(Thread.currentThread())).as("the test thread").isFalse();
        assertThat(pool.isWorkerThread(null)).as("null").isFalse();
        assertThat(pool.isWorkerThread(new Thread(() -> {}))).as("an unstarted thread").isFalse();
    }

    @Test
    void aTaskSeesItsOwnThreadAsAWorkerThreadOfItsPoolOnly() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("self").workers(2));
        final WorkStealingPool other = pools.build(WorkStealingPool.builder().name("stranger").workers(2));
        final AtomicReference<Boolean> inOwnPool = new AtomicReference<>();
        final AtomicReference<Boolean> inOtherPool = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        pool.execute(() -> {
            inOwnPool.set(pool.isWorkerThread(Thread.currentThread()));
            inOtherPool.set(other.isWorkerThread(Thread.currentThread()));
            done.countDown();
        });
        await(done, "the task");
        assertThat(inOwnPool.get()).isTrue();
        assertThat(inOtherPool.get()).isFalse();
    }

    @Test
    void currentPoolIsTheTasksOwnPoolEvenWithAUserThreadFactoryAndNullElsewhere() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("plain-threads").workers(2)
                .threadFactory(runnable -> new Thread(runnable, "user-made")));
        final AtomicReference<WorkStealingPool> seen = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        pool.execute(() -> {
            seen.set(WorkStealingPool.currentPool());
            done.countDown();
        });
        await(done, "the task");
        assertThat(seen.get()).isSameAs(pool);
        assertThat(WorkStealingPool.currentPool()).as("on the test thread").isNull();
    }
}
