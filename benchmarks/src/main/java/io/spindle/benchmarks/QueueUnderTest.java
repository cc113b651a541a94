package io.spindle.benchmarks;

import io.spindle.core.InjectQueue;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The queues {@link InjectQueueBenchmark} compares, named by the value of its {@code queue}
 * parameter, each driven through its own batch operations where it has them.
 */
public enum QueueUnderTest {

    /** Spindle's intrusive, spin-locked {@link InjectQueue}: {@code pushBatch} and {@code popN}. */
    INJECT_QUEUE("InjectQueue") {
        @Override
        TaskQueue create() {
            return new Inject();
        }
    },

    /** The JDK's lock-free {@link ConcurrentLinkedQueue}: {@code addAll} and repeated {@code poll}. */
    CONCURRENT_LINKED_QUEUE("ConcurrentLinkedQueue") {
        @Override
        TaskQueue create() {
            return new ConcurrentLinked();
        }
    },

    /** JCTools' {@link MpmcUnboundedXaddArrayQueue}: {@code fill} and {@code drain}. */
    MPMC_UNBOUNDED_XADD_ARRAY_QUEUE("MpmcUnboundedXaddArrayQueue") {
        @Override
        TaskQueue create() {
            return new JctoolsXadd();
        }
    };

    /**
     * Slots per chunk of the JCTools queue: large enough that a 128-task batch rarely crosses a
     * chunk, small enough to stay in cache.
     */
    static final int JCTOOLS_CHUNK_SIZE = 1024;

    /**
     * One empty queue under test, seen the same way whatever it is.
     *
     * <p>{@code push} and {@code pop} may be called from any thread; the batch methods are
     * measured from one thread.
     */
    interface TaskQueue {
        void push(InertTask task);

        /** The oldest task, or {@code null} if the queue is empty. */
        InertTask pop();

        /** Adds every task of the batch with the queue's batch operation. */
        void pushBatch(List<InertTask> batch);

        /**
         * Takes up to {@code n} of the oldest tasks with the queue's batch operation and hands
         * each to the blackhole.
         *
         * @return how many tasks were taken
         */
        int popBatch(int n, Blackhole blackhole);
    }

    private final String paramValue;

    QueueUnderTest(String paramValue) {
        this.paramValue = paramValue;
    }

    /** A new, empty queue. */
    abstract TaskQueue create();

    /** The value of the {@code queue} parameter that selects this queue. */
    public String paramValue() {
        return paramValue;
    }

    /**
     * The queue selected by a {@code queue} parameter value.
     *
     * @throws IllegalArgumentException if no queue has that value
     */
    public static QueueUnderTest forParam(String paramValue) {
        for (QueueUnderTest queue : values()) {
            if (queue.paramValue.equals(paramValue)) {
                return queue;
            }
        }
        throw new IllegalArgumentException("queue must be one of "
                + Arrays.stream(values()).map(QueueUnderTest::paramValue).toList() + ", was " + paramValue);
    }

    private static final class Inject implements TaskQueue {
        private final InjectQueue<InertTask> queue = new InjectQueue<>();

        @Override
        public void push(InertTask task) {
            queue.push(task);
        }

        @Override
        public InertTask pop() {
            return queue.pop();
        }

        @Override
        public void pushBatch(List<InertTask> batch) {
            queue.pushBatch(batch);
        }

        @Override
        public int popBatch(int n, Blackhole blackhole) {
            int taken = 0;
            try (InjectQueue.Pop<InertTask> pop = queue.popN(n)) {
                while (pop.hasNext()) {
                    blackhole.consume(pop.next());
                    taken++;
                }
            }
            return taken;
        }
    }

    private static final class ConcurrentLinked implements TaskQueue {
        private final ConcurrentLinkedQueue<InertTask> queue = new ConcurrentLinkedQueue<>();

        @Override
        public void push(InertTask task) {
            queue.offer(task);
        }

        @Override
        public InertTask pop() {
            return queue.poll();
        }

        @Override
        public void pushBatch(List<InertTask> batch) {
            queue.addAll(batch);
        }

        @Override
        public int popBatch(int n, Blackhole blackhole) {
            int taken = 0;
            for (; taken < n; taken++) {
                final InertTask task = queue.poll();
                if (task == null) {
                    break;
                }
                blackhole.consume(task);
            }
            return taken;
        }
    }

    private static final class JctoolsXadd implements TaskQueue {
        private final MpmcUnboundedXaddArrayQueue<InertTask> queue =
                new MpmcUnboundedXaddArrayQueue<>(JCTOOLS_CHUNK_SIZE);

        /** Reused for every batch so that measuring allocates nothing the other queues don't. */
        private final BatchSupplier supplier = new BatchSupplier();

        private final BlackholeConsumer consumer = new BlackholeConsumer();

        @Override
        public void push(InertTask task) {
            queue.offer(task);
        }

        @Override
        public InertTask pop() {
            return queue.poll();
        }

        @Override
        public void pushBatch(List<InertTask> batch) {
            supplier.batch = batch;
            supplier.next = 0;
            queue.fill(supplier, batch.size());
        }

        @Override
        public int popBatch(int n, Blackhole blackhole) {
            consumer.blackhole = blackhole;
            return queue.drain(consumer, n);
        }
    }

    private static final class BatchSupplier implements MessagePassingQueue.Supplier<InertTask> {
        List<InertTask> batch;
        int next;

        @Override
        public InertTask get() {
            return batch.get(next++);
        }
    }

    private static final class BlackholeConsumer implements MessagePassingQueue.Consumer<InertTask> {
        Blackhole blackhole;

        @Override
        public void accept(InertTask task) {
            blackhole.consume(task);
        }
    }
}
