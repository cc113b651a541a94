package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lifecycle as the class comment of {@link WorkStealingPool} states it: {@code shutdown()}
 * rejects new tasks and runs every accepted one; {@code shutdownNow()} hands back the tasks that
 * never started, exactly as they were passed, and interrupts running ones; {@code close()} is
 * {@code shutdown()} plus waiting. The races between these and concurrent submitters are in
 * {@link WorkStealingPoolShutdownRaceTest}.
 *
 * <p>Tests that need work queued at the moment of shutdown keep every worker busy in a "gate"
 * task (waiting on a latch, bounded) so that nothing can run until the test opens the gate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkStealingPoolShutdownTest {

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    @Test
    void executeAfterShutdownIsRejectedWithAMessageNamingThePool() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("orders").workers(2));
        pool.shutdown();
        final Runnable task = () -> {};
        assertThatThrownBy(() -> pool.execute(task)).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("orders");
        assertThatThrownBy(() -> pool.executeAll(List.of(task))).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("orders");
        assertThatThrownBy(() -> pool.submit(task)).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("orders");
        assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> pool.execute(task))
                .as("after termination")
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("orders");
    }

    @Test
    void executeAfterShutdownNowIsRejectedWithAMessageNamingThePool() {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("billing").workers(2));
        pool.shutdownNow();
        assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("billing");
    }

    @Test
    void executeFromInsideThePoolAfterShutdownIsRejected() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("inside").workers(2));
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        pool.execute(() -> {
            pool.shutdown();
            try {
                pool.execute(() -> {});
            } catch (Throwable e) {
                thrown.set(e);
            }
            done.countDown();
        });
        await(done, "the task that shuts the pool down");
        assertThat(thrown.get()).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("inside");
    }

    /**
     * Both workers sit in gate tasks that have each queued tasks from their own thread (the
     * LIFO slot, the local ring and, past its 256 slots, the inject queue through overflow),
     * and more tasks wait in the inject queue from outside. Nothing can have run when
     * {@code shutdown()} is called; everything must run once the gates open.
     */
    @Test
    void shutdownRunsEveryAcceptedTaskIncludingThoseQueuedLocallyByRunningTasks() throws Exception {
        final int workers = 2;
        final int localPerGate = 300;
        final int batchPerGate = 100;
        final int external = 1_000;
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("drain").workers(workers));
        final LongAdder ran = new LongAdder();
        final Runnable counted = ran::increment;
        final CyclicBarrier bothGatesRunning = new CyclicBarrier(workers);
        final CountDownLatch queued = new CountDownLatch(workers);
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch gatesDone = new CountDownLatch(workers);
        final AtomicInteger gateFailures = new AtomicInteger();
        for (int g = 0; g < workers; g++) {
            pool.execute(() -> {
                try {
                    // Both gates running at once: one per worker, so no worker is free.
                    bothGatesRunning.await(PROMPTLY.toNanos(), TimeUnit.NANOSECONDS);
                    for (int i = 0; i < localPerGate; i++) {
                        pool.execute(counted);
                    }
                    final List<Runnable> batch = new ArrayList<>();
                    for (int i = 0; i < batchPerGate; i++) {
                        batch.add(counted);
                    }
                    pool.executeAll(batch);
                    queued.countDown();
                    if (!gate.await(PROMPTLY.toNanos(), TimeUnit.NANOSECONDS)) {
                        gateFailures.incrementAndGet();
                    }
                } catch (Exception e) {
                    gateFailures.incrementAndGet();
                } finally {
                    gatesDone.countDown();
                }
            });
        }
        await(queued, "both gate tasks to queue their tasks");
        for (int i = 0; i < external; i++) {
            pool.execute(counted);
        }
        assertThat(ran.sum()).as("tasks run while every worker is held in a gate").isZero();

        pool.shutdown();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.isTerminated()).as("terminated with tasks queued and gates closed").isFalse();
        assertThatThrownBy(() -> pool.execute(counted)).isInstanceOf(RejectedExecutionException.class);

        gate.countDown();
        assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).as("terminated: %s", pool).isTrue();
        assertThat(gateFailures.get()).as("gate tasks that failed to hold their worker").isZero();
        assertThat(ran.sum()).as("tasks run after shutdown()").isEqualTo(workers * (localPerGate + batchPerGate) + external);
        assertThat(pool.isTerminated()).isTrue();
    }

    /**
     * A single worker is held in a gate after queuing tasks locally (LIFO slot, ring, overflow)
     * and with {@code executeAll}; more wait in the inject queue from outside, by
     * {@code execute} and {@code executeAll}. {@code shutdownNow()} must hand back every one of
     * them, the very objects that were passed in, none twice, none having run; and the gate task
     * sees the interrupt.
     */
    @Test
    void shutdownNowReturnsEveryQueuedRunnableExactlyAsPassedAndInterruptsTheRunningOne() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("now").workers(1));
        final Set<Runnable> submitted = Collections.newSetFromMap(new IdentityHashMap<>());
        final LongAdder ran = new LongAdder();
        final CountDownLatch queued = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final List<Runnable> local = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            local.add(new NamedTask("local-" + i, ran));
        }
        final List<Runnable> localBatch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            localBatch.add(new NamedTask("local-batch-" + i, ran));
        }
        pool.execute(() -> {
            local.forEach(pool::execute);
            pool.executeAll(localBatch);
            queued.countDown();
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(2 * PROMPTLY.toSeconds()));
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        submitted.addAll(local);
        submitted.addAll(localBatch);
        await(queued, "the gate task to queue its tasks");
        final List<Runnable> remoteBatch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            remoteBatch.add(new NamedTask("remote-batch-" + i, ran));
        }
        pool.executeAll(remoteBatch);
        submitted.addAll(remoteBatch);
        for (int i = 0; i < 200; i++) {
            final Runnable task = new NamedTask("remote-" + i, ran);
            pool.execute(task);
            submitted.add(task);
        }

        final List<Runnable> returned = pool.shutdownNow();

        await(interrupted, "the running task to be interrupted by shutdownNow()");
        assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).as("terminated: %s", pool).isTrue();
        assertThat(ran.sum()).as("queued tasks that ran").isZero();
        final Set<Runnable> returnedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        returnedSet.addAll(returned);
        assertThat(returnedSet).as("distinct runnables returned").hasSameSizeAs(returned);
        assertThat(returned).as("returned runnables").hasSize(submitted.size());
        for (Runnable runnable : returned) {
            assertThat(submitted.contains(runnable)).as("%s is one of the very objects submitted", runnable).isTrue();
        }
        assertThat(pool.shutdownNow()).as("a second shutdownNow()").isEmpty();
    }

    @Test
    void shutdownNowInterruptsARunningTaskWhichThenNoLongerSeesTheInterruptInTheNextTask() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("interrupt").workers(1));
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final CountDownLatch neverOpened = new CountDownLatch(1);
        pool.execute(() -> {
            running.countDown();
            try {
                neverOpened.await(2 * PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        await(running, "the task to start");
        assertThat(pool.shutdownNow()).isEmpty();
        await(interrupted, "the running task to see the interrupt");
        assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskThatLeavesItsThreadInterruptedDoesNotInterruptTheNextTask() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("leak").workers(1));
        final AtomicReference<Boolean> nextSawInterrupt = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        pool.execute(() -> {
            Thread.currentThread().interrupt();
            pool.execute(() -> {
                nextSawInterrupt.set(Thread.currentThread().isInterrupted());
                done.countDown();
            });
        });
        await(done, "the next task");
        assertThat(nextSawInterrupt.get()).as("the next task's thread is interrupted").isFalse();
    }

    @Test
    void isShutdownIsTerminatedAndAwaitTerminationFollowTheLifecycle() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("lifecycle").workers(2));
        assertThat(pool.isShutdown()).isFalse();
        assertThat(pool.isTerminated()).isFalse();
        assertThat(pool.awaitTermination(10, TimeUnit.MILLISECONDS)).as("awaitTermination on a running pool").isFalse();

        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        pool.execute(() -> {
            running.countDown();
            try {
                gate.await(2 * PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await(running, "the gate task to start");
        pool.shutdown();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.isTerminated()).as("terminated while a task still runs").isFalse();
        assertThat(pool.awaitTermination(50, TimeUnit.MILLISECONDS)).as("awaitTermination while a task still runs").isFalse();

        gate.countDown();
        assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(pool.isTerminated()).isTrue();
        assertThat(pool.isShutdown()).isTrue();

        pool.shutdown();
        assertThat(pool.shutdownNow()).as("shutdownNow() after termination").isEmpty();
        assertThat(pool.isTerminated()).isTrue();
        pool.close();
        assertThatThrownBy(() -> pool.awaitTermination(1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void closeWaitsForEveryQueuedTaskToRun() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("close").workers(2));
        final LongAdder ran = new LongAdder();
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        pool.execute(() -> {
            for (int i = 0; i < 500; i++) {
                pool.execute(ran::increment);
            }
            // Only now: the close below must not race these submissions, which a shut-down
            // pool rejects (also from its own workers).
            running.countDown();
            try {
                gate.await(2 * PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.increment();
        });
        await(running, "the gate task to start");
        for (int i = 0; i < 1_000; i++) {
            pool.execute(ran::increment);
        }
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread closer = new Thread(() -> {
            pool.close();
            closed.countDown();
        }, "closer");
        closer.start();
        // close() must still be waiting: the gate task cannot have finished.
        assertThat(closed.await(200, TimeUnit.MILLISECONDS)).as("close() returned while a task was still running").isFalse();
        assertThat(pool.isShutdown()).isTrue();
        gate.countDown();
        await(closed, "close() to return");
        assertThat(pool.isTerminated()).as("terminated when close() returns").isTrue();
        assertThat(ran.sum()).as("tasks run when close() returns").isEqualTo(1 + 500 + 1_000);
    }

    @Test
    void closeFromInsideAPoolTaskShutsDownWithoutDeadlockAndQueuedTasksStillRun() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("self-close").workers(2));
        final LongAdder ran = new LongAdder();
        final CountDownLatch closeReturned = new CountDownLatch(1);
        pool.execute(() -> {
            for (int i = 0; i < 100; i++) {
                pool.execute(ran::increment);
            }
            pool.close();
            closeReturned.countDown();
        });
        await(closeReturned, "close() called from a pool task to return");
        assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).as("terminated: %s", pool).isTrue();
        assertThat(ran.sum()).isEqualTo(100);
    }

    @Test
    void closeOnAnIdlePoolTerminatesIt() {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("idle-close").workers(3));
        pool.close();
        assertThat(pool.isTerminated()).isTrue();
    }

    /** A runnable with a name and a run counter, so that returned tasks can be told apart. */
    private static final class NamedTask implements Runnable {
        private final String name;
        private final LongAdder ran;

        NamedTask(String name, LongAdder ran) {
            this.name = name;
            this.ran = ran;
        }

        @Override
        public void run() {
            ran.increment();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
