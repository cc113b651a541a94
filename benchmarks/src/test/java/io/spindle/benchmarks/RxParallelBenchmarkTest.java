package io.spindle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Param;

/** Every subject of {@link RxParallelBenchmark} runs the pipeline to the end and closes. */
class RxParallelBenchmarkTest {

    static List<String> subjects() throws NoSuchFieldException {
        return List.of(RxParallelBenchmark.SchedulerState.class.getField("executor").getAnnotation(Param.class).value());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void everySubjectCompletesThePipeline(String executor) {
        final RxParallelBenchmark.SchedulerState state = new RxParallelBenchmark.SchedulerState();
        state.executor = executor;
        state.work = 1;
        state.start();
        try {
            assertThat(RxParallelBenchmark.run(state.scheduler, state.work)).isNotNull();
        } finally {
            state.close();
        }
    }
}
