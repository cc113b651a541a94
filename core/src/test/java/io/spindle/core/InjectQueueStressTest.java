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
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Many producers and consumers on one {@link InjectQueue} at full speed: nothing lost, nothing
 * duplicated, and each producer's tasks reach each consumer in the order they were pushed.
 *
 * <p>Task {@code producer * PUSHES_PER_PRODUCER + sequence} is the {@code sequence}-th task its
 * producer pushed. Consumers count every task they receive in one shared array and check, each
 * on its own, that the sequence numbers from every producer strictly increase. They stop when the
 * shared count of received tasks reaches the total, or at a deadline, which fails the test with
 * what was missing.
 */
class InjectQueueStressTest {

    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 2;
    private static final int PUSHES_PER_PRODUCER = 1_000_000;
    private static final int TOTAL = PRODUCERS * PUSHES_PER_PRODUCER;
    /** Batches and popN take 1..128 tasks: half a local queue, as the pool does. */
    private static final int MAX_BATCH = 128;
    /** Far above the few seconds the test takes on two cores; only a lost task gets here. */
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int MAX_VIOLATIONS_KEPT = 20;

    private final InjectQueue<TestTask> queue = new InjectQueue<>();
    private final AtomicIntegerArray received = new AtomicIntegerArray(TOTAL);
    private final AtomicInteger receivedTotal = new AtomicInteger();
    /** At most {@link #MAX_VIOLATIONS_KEPT} messages; any violation stops the consumers. */
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger violationCount = new AtomicInteger();
    private final CountDownLatch start = new CountDownLatch(1);

    @Test
    void everyTaskIsPoppedExactlyOnceInEachProducersOrder() throws InterruptedException {
        final long seed = System.nanoTime();
        final SplittableRandom seeds = new SplittableRandom(seed);
        final List<Thread> threads = new ArrayList<>();
        for (int producer = 0; producer < PRODUCERS; producer++) {
            final int id = producer;
            final SplittableRandom random = seeds.split();
            threads.add(thread("producer-" + id, () -> produce(id, random)));
        }
        final long deadline = System.nanoTime() + DEADLINE_NANOS;
        for (int consumer = 0; consumer < CONSUMERS; consumer++) {
            final int id = consumer;
            final SplittableRandom random = seeds.split();
            threads.add(thread("consumer-" + id, () -> consume(id, random, deadline)));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.NANOSECONDS.toMillis(Math.max(1, deadline - System.nanoTime())) + 5_000);
            if (thread.isAlive()) {
                fail("%s did not finish (seed %d, %d of %d tasks received, queue %s)", thread.getName(), seed, receivedTotal.get(), TOTAL, queue);
            }
        }

        assertThat(violations).as("violations (%d in all, seed %d)", violationCount.get(), seed).isEmpty();
        assertThat(receivedTotal.get()).as("tasks received (seed %d)", seed).isEqualTo(TOTAL);
        for (int task = 0; task < TOTAL; task++) {
            if (received.get(task) != 1) {
                fail("task %d (producer %d, sequence %d) received %d times (seed %d)",
                        task, task / PUSHES_PER_PRODUCER, task % PUSHES_PER_PRODUCER, received.get(task), seed);
            }
        }
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.pop()).isNull();
    }

    private void produce(int producer, SplittableRandom random) {
        awaitStart();
        final int base = producer * PUSHES_PER_PRODUCER;
        final List<TestTask> batch = new ArrayList<>(MAX_BATCH);
        int sequence = 0;
        while (sequence < PUSHES_PER_PRODUCER) {
            // Runs of single pushes and batches of the same sizes, so each path carries about
            // half the tasks.
            final int size = Math.min(random.nextInt(1, MAX_BATCH + 1), PUSHES_PER_PRODUCER - sequence);
            if (random.nextBoolean()) {
                for (int i = 0; i < size; i++) {
                    if (!queue.push(new TestTask(base + sequence + i))) {
                        violation("producer " + producer + ": push returned false on an open queue");
                        return;
                    }
                }
            } else {
                for (int i = 0; i < size; i++) {
                    batch.add(new TestTask(base + sequence + i));
                }
                if (!queue.pushBatch(batch)) {
                    violation("producer " + producer + ": pushBatch returned false on an open queue");
                    return;
                }
                batch.clear();
            }
            sequence += size;
        }
    }

    private void consume(int consumer, SplittableRandom random, long deadline) {
        awaitStart();
        final int[] lastSequence = new int[PRODUCERS];
        Arrays.fill(lastSequence, -1);
        while (receivedTotal.get() < TOTAL && violationCount.get() == 0) {
            int count = 0;
            final int size = random.nextInt(1, MAX_BATCH + 1);
            if (random.nextBoolean()) {
                for (; count < size; count++) {
                    final TestTask task = queue.pop();
                    if (task == null) {
                        break;
                    }
                    receive(consumer, task, lastSequence);
                }
            } else {
                try (InjectQueue.Pop<TestTask> pop = queue.popN(size)) {
                    while (pop.hasNext()) {
                        receive(consumer, pop.next(), lastSequence);
                        count++;
                    }
                }
            }
            if (count > 0) {
                receivedTotal.addAndGet(count);
            } else if (System.nanoTime() - deadline > 0) {
                violation("consumer " + consumer + ": deadline passed with " + receivedTotal.get() + " of " + TOTAL + " tasks received");
                return;
            } else {
                // Empty: give a producer this core rather than spin against it.
                Thread.yield();
            }
        }
    }

    private void receive(int consumer, TestTask task, int[] lastSequence) {
        final int producer = task.value / PUSHES_PER_PRODUCER;
        final int sequence = task.value % PUSHES_PER_PRODUCER;
        if (!task.isUnlinked()) {
            violation("consumer " + consumer + " received " + task + " still linked");
        }
        if (received.getAndIncrement(task.value) != 0) {
            violation("consumer " + consumer + " received " + task + " a second time");
        }
        if (sequence <= lastSequence[producer]) {
            violation("consumer " + consumer + " received producer " + producer + "'s sequence " + sequence + " after " + lastSequence[producer]);
        }
        lastSequence[producer] = sequence;
    }

    private void violation(String message) {
        if (violationCount.getAndIncrement() < MAX_VIOLATIONS_KEPT) {
            violations.add(message);
        }
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
                violation(Thread.currentThread().getName() + " threw " + t);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }
}
