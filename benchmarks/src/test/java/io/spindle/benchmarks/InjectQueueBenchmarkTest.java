package io.spindle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.Blackhole;

/** The benchmark's operations do what the scores claim, on every queue. */
class InjectQueueBenchmarkTest {

    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    private static InjectQueueBenchmark benchmark(QueueUnderTest queue) {
        final InjectQueueBenchmark benchmark = new InjectQueueBenchmark();
        benchmark.queue = queue.paramValue();
        benchmark.createQueue();
        return benchmark;
    }

    @Test
    void theParamListNamesEveryQueue() throws NoSuchFieldException {
        final List<String> listed =
                List.of(InjectQueueBenchmark.class.getField("queue").getAnnotation(Param.class).value());
        assertThat(listed).containsExactlyElementsOf(
                Arrays.stream(QueueUnderTest.values()).map(QueueUnderTest::paramValue).toList());
    }

    @ParameterizedTest
    @EnumSource(QueueUnderTest.class)
    void pushPopHandsEachThreadBackATaskAndLeavesTheQueueAsItFoundIt(QueueUnderTest queue) {
        final InjectQueueBenchmark benchmark = benchmark(queue);
        final InjectQueueBenchmark.HeldTask held = new InjectQueueBenchmark.HeldTask();
        for (int i = 0; i < 1_000; i++) {
            assertThat(benchmark.pushPop1Thread(held)).isNotNull().isSameAs(held.task);
        }
        assertThat(benchmark.taskQueue().pop()).isNull();
    }

    @ParameterizedTest
    @EnumSource(QueueUnderTest.class)
    void pushBatchPopNMovesTheWholeBatchThroughAndLeavesTheQueueEmpty(QueueUnderTest queue) {
        final InjectQueueBenchmark benchmark = benchmark(queue);
        final InjectQueueBenchmark.Batch batch = new InjectQueueBenchmark.Batch();
        batch.fill();
        for (int i = 0; i < 100; i++) {
            assertThat(benchmark.pushBatchPopN(batch, BLACKHOLE)).isEqualTo(InjectQueueBenchmark.BATCH);
            assertThat(benchmark.taskQueue().pop()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(QueueUnderTest.class)
    void popBatchKeepsFifoOrder(QueueUnderTest queue) {
        final QueueUnderTest.TaskQueue tasks = queue.create();
        final List<InertTask> batch = List.of(new InertTask(), new InertTask(), new InertTask());
        tasks.pushBatch(batch);
        assertThat(tasks.pop()).isSameAs(batch.get(0));
        assertThat(tasks.popBatch(10, BLACKHOLE)).isEqualTo(2);
        assertThat(tasks.pop()).isNull();
    }
}
