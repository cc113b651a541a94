package io.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link InjectQueue#close()} racing pushes and batches: a push either lands before the close and
 * is drained afterwards, or sees it and leaves the caller owning an unlinked task.
 *
 * <p>Each round, producers push their tasks (single pushes and batches of 1..16) while two
 * closers each close the queue once it holds a random number of tasks, from none to more than
 * all of them (then they close after the last push). Then the queue is drained and every task is
 * accounted for by what its push returned.
 */
class InjectQueueCloseRaceTest {

    private static final int ROUNDS = 300;
    private static final int PRODUCERS = 3;
    private static final int CLOSERS = 2;
    private static final int TASKS_PER_PRODUCER = 2_000;
    private static final int TASKS = PRODUCERS * TASKS_PER_PRODUCER;
    private static final int MAX_BATCH = 16;
    private static final long JOIN_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(20);

    @Test
    void closeRacingPushesKeepsEveryAcceptedTaskAndNoRejectedOne() throws InterruptedException {
        final long seed = System.nanoTime();
        final SplittableRandom seeds = new SplittableRandom(seed);
        int roundsClosedMidStream = 0;
        for (int round = 0; round < ROUNDS; round++) {
            if (new Round(round, seed, seeds.split()).run()) {
                roundsClosedMidStream++;
            }
        }
        // Guards the test itself: the race must really have been run, not only its edges.
        assertThat(roundsClosedMidStream).as("rounds where close landed between pushes (seed %d)", seed).isPositive();
    }

    private static final class Round {
        private final int round;
        private final long seed;
        private final SplittableRandom random;
        private final InjectQueue<TestTask> queue = new InjectQueue<>();
        private final TestTask[] tasks = new TestTask[TASKS];
        /** Per task: what its push or batch returned; written by its producer before join. */
        private final boolean[] accepted = new boolean[TASKS];
        private final AtomicInteger producersDone = new AtomicInteger();
        private final AtomicInteger closeWins = new AtomicInteger();
        /**
         * {@code len()} read by the winning closer right after its close: nothing pops during
         * the race, so every push accepted at all was accepted before the close and counted here.
         */
        private final AtomicInteger lenAfterClose = new AtomicInteger(-1);
        private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        private final CountDownLatch start = new CountDownLatch(1);

        Round(int round, long seed, SplittableRandom random) {
            this.round = round;
            this.seed = seed;
            this.random = random;
            for (int task = 0; task < TASKS; task++) {
                tasks[task] = new TestTask(task);
            }
        }

        /** Runs the round, checks it, and tells whether some pushes were accepted and some not. */
        boolean run() throws InterruptedException {
            final List<Thread> threads = new ArrayList<>();
            for (int producer = 0; producer < PRODUCERS; producer++) {
                final int id = producer;
                final SplittableRandom producerRandom = random.split();
                threads.add(thread("producer-" + id, () -> produce(id, producerRandom)));
            }
            for (int closer = 0; closer < CLOSERS; closer++) {
                final int closeAtLen = random.nextInt(TASKS + TASKS / 10 + 1);
                threads.add(thread("closer-" + closer, () -> closeAt(closeAtLen)));
            }
            threads.forEach(Thread::start);
            start.countDown();
            for (Thread thread : threads) {
                thread.join(JOIN_TIMEOUT_MILLIS);
                if (thread.isAlive()) {
                    fail("round %d: %s did not finish within %d ms (seed %d, queue %s)", round, thread.getName(), JOIN_TIMEOUT_MILLIS, seed, queue);
                }
            }
            assertThat(violations).as("round %d (seed %d)", round, seed).isEmpty();
            assertThat(closeWins).as("close() calls that returned true, round %d", round).hasValue(1);
            assertThat(queue.isClosed()).isTrue();
            return checkDrain();
        }

        private void produce(int producer, SplittableRandom producerRandom) {
            try {
                awaitStart();
                pushAll(producer, producerRandom);
            } finally {
                // Also on failure, so that the closers stop waiting.
                producersDone.incrementAndGet();
            }
        }

        private void pushAll(int producer, SplittableRandom producerRandom) {
            final int base = producer * TASKS_PER_PRODUCER;
            final List<TestTask> batch = new ArrayList<>(MAX_BATCH);
            boolean sawClosed = false;
            for (int sequence = 0; sequence < TASKS_PER_PRODUCER; ) {
                final int size = Math.min(producerRandom.nextInt(1, MAX_BATCH + 1), TASKS_PER_PRODUCER - sequence);
                final boolean result;
                if (size == 1 || producerRandom.nextBoolean()) {
                    result = queue.push(tasks[base + sequence]);
                    accepted[base + sequence] = result;
                    sequence++;
                } else {
                    for (int i = 0; i < size; i++) {
                        batch.add(tasks[base + sequence + i]);
                    }
                    result = queue.pushBatch(batch);
                    batch.clear();
                    for (int i = 0; i < size; i++) {
                        accepted[base + sequence + i] = result;
                    }
                    sequence += size;
                }
                if (result && sawClosed) {
                    violations.add("producer " + producer + ": a push was accepted after one was rejected");
                }
                sawClosed |= !result;
            }
        }

        private void closeAt(int closeAtLen) {
            awaitStart();
            while (queue.len() < closeAtLen && producersDone.get() < PRODUCERS) {
                // More threads than cores: let the producers run.
                Thread.yield();
            }
            if (queue.close()) {
                lenAfterClose.set(queue.len());
                closeWins.incrementAndGet();
            }
        }

        /** Drains the closed queue with pop and popN and accounts for every task. */
        private boolean checkDrain() {
            final int[] popped = new int[TASKS];
            final int[] lastSequence = new int[PRODUCERS];
            Arrays.fill(lastSequence, -1);
            for (;;) {
                final List<TestTask> taken = new ArrayList<>();
                if (random.nextBoolean()) {
                    final TestTask task = queue.pop();
                    if (task != null) {
                        taken.add(task);
                    }
                } else {
                    try (InjectQueue.Pop<TestTask> pop = queue.popN(random.nextInt(1, MAX_BATCH + 1))) {
                        pop.forEachRemaining(taken::add);
                    }
                }
                if (taken.isEmpty()) {
                    break;
                }
                for (TestTask task : taken) {
                    popped[task.value]++;
                    final int producer = task.value / TASKS_PER_PRODUCER;
                    final int sequence = task.value % TASKS_PER_PRODUCER;
                    assertThat(sequence).as("round %d: producer %d's tasks drain in push order", round, producer).isGreaterThan(lastSequence[producer]);
                    lastSequence[producer] = sequence;
                }
            }
            assertThat(queue.len()).isZero();
            assertThat(queue.push(new TestTask(-1))).as("push after close").isFalse();

            final InjectQueue<TestTask> fresh = new InjectQueue<>();
            int acceptedCount = 0;
            for (int task = 0; task < TASKS; task++) {
                if (accepted[task]) {
                    acceptedCount++;
                    assertThat(popped[task]).as("round %d: accepted %s popped once (seed %d)", round, tasks[task], seed).isEqualTo(1);
                } else {
                    assertThat(popped[task]).as("round %d: rejected %s never popped (seed %d)", round, tasks[task], seed).isZero();
                    assertThat(tasks[task].isUnlinked()).as("round %d: rejected %s unlinked", round, tasks[task]).isTrue();
                    assertThat(fresh.push(tasks[task])).as("round %d: rejected %s pushable elsewhere", round, tasks[task]).isTrue();
                }
            }
            assertThat(fresh.len()).isEqualTo(TASKS - acceptedCount);
            assertThat(acceptedCount).as("round %d: tasks accepted, all before the close (seed %d)", round, seed).isEqualTo(lenAfterClose.get());
            return acceptedCount > 0 && acceptedCount < TASKS;
        }

        private void awaitStart() {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private Thread thread(String name, Runnable body) {
            final Thread thread = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    violations.add(Thread.currentThread().getName() + " threw " + t);
                }
            }, name);
            thread.setDaemon(true);
            return thread;
        }
    }
}
