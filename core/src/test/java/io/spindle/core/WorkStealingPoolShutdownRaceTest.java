package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DESIGN.md: "Every accepted task either runs or is handed back (shutdownNow) ... none is
 * silently dropped." Several threads outside the pool and chains of tasks inside it submit
 * without pause while the pool is shut down under them; every submission is counted as accepted
 * ({@code execute}/{@code executeAll} returned normally) or rejected
 * ({@link RejectedExecutionException}), and every task counts its runs. After termination:
 * {@code accepted == ran + returned}, exactly, no task ran twice, and no returned task ran.
 *
 * <p>Each round uses a fresh pool and shuts it down after a random amount of traffic, so the
 * shutdown lands at different points of the submitters' and workers' paths (inject push, local
 * push, LIFO slot, overflow splice, batch pull, steal).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WorkStealingPoolShutdownRaceTest {

    private static final int ROUNDS = 40;
    private static final int WORKERS = 4;
    private static final int EXTERNAL_SUBMITTERS = 3;
    private static final int CHAINS = 8;
    private static final int EXTERNAL_BATCH = 8;
    private static final int INTERNAL_BATCH = 4;

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    @Test
    void shutdownRacingSubmittersRunsEveryAcceptedTask() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            new Round(round, false).run();
        }
    }

    @Test
    void shutdownNowRacingSubmittersRunsOrReturnsEveryAcceptedTask() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            new Round(round, true).run();
        }
    }

    /** One pool, its submitters, one shutdown, and the books balanced. */
    private final class Round {
        private final int round;
        private final boolean now;
        private final WorkStealingPool pool;
        private final LongAdder accepted = new LongAdder();
        private final LongAdder rejected = new LongAdder();
        private final LongAdder ran = new LongAdder();
        private final AtomicInteger ranTwice = new AtomicInteger();
        private final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

        Round(int round, boolean now) {
            this.round = round;
            this.now = now;
            this.pool = pools.build(WorkStealingPool.builder()
                    .name("race-" + round)
                    .workers(WORKERS)
                    .taskErrorHandler((task, error) -> unexpected.add(error)));
        }

        void run() throws Exception {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> submitters = new ArrayList<>();
            for (int s = 0; s < EXTERNAL_SUBMITTERS; s++) {
                final boolean batches = s == 0;
                final Thread submitter = new Thread(() -> submitFromOutside(start, batches), "race-" + round + "-submitter-" + s);
                submitter.start();
                submitters.add(submitter);
            }
            start.countDown();
            for (int c = 0; c < CHAINS; c++) {
                submitOrCount(new ChainTask(c % 2 == 0));
            }
            // Let a varying amount of traffic build up (roughly 1,000 to 40,000 submissions),
            // so that the shutdown lands at a different point in every round.
            final long threshold = 1_000L * (1 + (round * 7L) % 40);
            awaitCondition(() -> accepted.sum() >= threshold, PROMPTLY,
                    () -> "round " + round + ": " + threshold + " accepted submissions before shutting down");

            final List<Runnable> returned = now ? pool.shutdownNow() : shutdownReturningNothing();

            for (Thread submitter : submitters) {
                submitter.join(PROMPTLY.toMillis());
                assertThat(submitter.isAlive()).as("round %d: %s still running after shutdown", round, submitter.getName()).isFalse();
            }
            assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                    .as("round %d: terminated after %s: %s", round, now ? "shutdownNow()" : "shutdown()", PoolTestSupport.describe(pool))
                    .isTrue();

            assertThat(unexpected).as("round %d: unexpected exceptions from submitters and tasks", round).isEmpty();
            assertThat(ranTwice.get()).as("round %d: tasks that ran more than once", round).isZero();
            int returnedThatRan = 0;
            for (Runnable task : returned) {
                assertThat(task).as("round %d: a returned runnable is one of ours", round).isInstanceOf(CountedTask.class);
                if (((CountedTask) task).runs.get() != 0) {
                    returnedThatRan++;
                }
            }
            assertThat(returnedThatRan).as("round %d: returned tasks that also ran", round).isZero();
            assertThat(rejected.sum()).as("round %d: rejected submissions (every submitter stops at its first)", round)
                    .isGreaterThanOrEqualTo(EXTERNAL_SUBMITTERS);
            assertThat(accepted.sum())
                    .as("round %d: accepted (%d) == ran (%d) + returned (%d)", round, accepted.sum(), ran.sum(), returned.size())
                    .isEqualTo(ran.sum() + returned.size());
        }

        private List<Runnable> shutdownReturningNothing() {
            pool.shutdown();
            return List.of();
        }

        /** Submits until the first rejection: single tasks, or batches for one submitter. */
        private void submitFromOutside(CountDownLatch start, boolean batches) {
            try {
                start.await();
                for (;;) {
                    if (batches) {
                        final List<Runnable> batch = new ArrayList<>(EXTERNAL_BATCH);
                        for (int i = 0; i < EXTERNAL_BATCH; i++) {
                            batch.add(new CountedTask());
                        }
                        if (!submitOrCount(batch)) {
                            return;
                        }
                    } else if (!submitOrCount(new CountedTask())) {
                        return;
                    }
                }
            } catch (Throwable e) {
                unexpected.add(e);
            }
        }

        /** Counts the task accepted or rejected; true if accepted. */
        boolean submitOrCount(Runnable task) {
            try {
                pool.execute(task);
            } catch (RejectedExecutionException e) {
                rejected.increment();
                return false;
            }
            accepted.increment();
            return true;
        }

        boolean submitOrCount(List<Runnable> batch) {
            try {
                pool.executeAll(batch);
            } catch (RejectedExecutionException e) {
                rejected.increment();
                return false;
            }
            accepted.add(batch.size());
            return true;
        }

        /** Counts its runs; a second run is a failure. */
        private class CountedTask implements Runnable {
            final AtomicInteger runs = new AtomicInteger();

            @Override
            public void run() {
                if (runs.incrementAndGet() != 1) {
                    ranTwice.incrementAndGet();
                }
                ran.increment();
            }
        }

        /**
         * A task that submits its successor from inside the pool (a single task, or a batch
         * for half the chains), until the pool rejects it.
         */
        private final class ChainTask extends CountedTask {
            private final boolean batches;

            ChainTask(boolean batches) {
                this.batches = batches;
            }

            @Override
            public void run() {
                super.run();
                if (batches) {
                    final List<Runnable> batch = new ArrayList<>(INTERNAL_BATCH);
                    batch.add(new ChainTask(true));
                    for (int i = 1; i < INTERNAL_BATCH; i++) {
                        batch.add(new CountedTask());
                    }
                    submitOrCount(batch);
                } else {
                    submitOrCount(new ChainTask(false));
                }
            }
        }
    }
}
