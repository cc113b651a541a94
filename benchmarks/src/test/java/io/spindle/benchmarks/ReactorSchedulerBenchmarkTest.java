package io.spindle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Param;
import reactor.core.scheduler.Scheduler;

/**
 * Every pipeline of {@link ReactorSchedulerBenchmark} runs to the end, with every item, once on
 * every subject it is measured on, and every subject closes. No timing: a correctness check of
 * what the lead's run will measure.
 */
class ReactorSchedulerBenchmarkTest {

    /** A benchmark method's pipeline, by name. */
    private record Shape(String name, ToLongFunction<Scheduler> pipeline, long expected, boolean needsTime) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("publishOn", ReactorSchedulerBenchmark::publishOn, ReactorSchedulerBenchmark.ITEMS, false),
            new Shape("subscribeOnFanOut", ReactorSchedulerBenchmark::subscribeOnFanOut, ReactorSchedulerBenchmark.FAN_OUT, false),
            new Shape("parallelRunOn", ReactorSchedulerBenchmark::parallelRunOn, ReactorSchedulerBenchmark.ITEMS, false),
            new Shape("publishOnSparseFanOut", ReactorSchedulerBenchmark::publishOnSparseFanOut, ReactorSchedulerBenchmark.FAN_OUT, false),
            new Shape("publishOnOneByOne", ReactorSchedulerBenchmark::publishOnOneByOne, ReactorSchedulerBenchmark.ONE_BY_ONE, false),
            new Shape("delays", ReactorSchedulerBenchmark::delays, ReactorSchedulerBenchmark.DELAYS, true));

    static List<String> subjects() {
        return ReactorSchedulerUnderTest.paramValues();
    }

    @Test
    void theParametersNameEverySubjectAndTheTimeCapableOnesForDelays() throws NoSuchFieldException {
        assertThat(paramValues(ReactorSchedulerBenchmark.Subjects.class)).containsExactlyElementsOf(ReactorSchedulerUnderTest.paramValues());
        assertThat(paramValues(ReactorSchedulerBenchmark.TimeCapableSubjects.class))
                .containsExactlyElementsOf(ReactorSchedulerUnderTest.timeCapableParamValues())
                .contains("spindle")
                .doesNotContain("fjpAsync", "kotlinxDefault");
    }

    @Test
    void everyBenchmarkMethodHasAPipelineHere() {
        final List<String> methods = new ArrayList<>();
        for (var method : ReactorSchedulerBenchmark.class.getDeclaredMethods()) {
            if (method.isAnnotationPresent(org.openjdk.jmh.annotations.Benchmark.class)) {
                methods.add(method.getName());
            }
        }
        assertThat(methods).containsExactlyInAnyOrderElementsOf(SHAPES.stream().map(Shape::name).toList());
    }

    static List<Arguments> subjectsAndShapes() {
        final List<Arguments> arguments = new ArrayList<>();
        for (ReactorSchedulerUnderTest subject : ReactorSchedulerUnderTest.values()) {
            for (Shape shape : SHAPES) {
                if (subject.timeCapable() || !shape.needsTime()) {
                    arguments.add(Arguments.of(subject, shape));
                }
            }
        }
        return arguments;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("subjectsAndShapes")
    void everyPipelineDeliversEveryItemOnEverySubject(ReactorSchedulerUnderTest subject, Shape shape) {
        try (ReactorSchedulerUnderTest.Started started = subject.start()) {
            assertThat(shape.pipeline().applyAsLong(started.scheduler())).isEqualTo(shape.expected());
        }
    }

    /**
     * The counters the report reads: zero for a peer, and for Spindle the splices the timer made
     * for a burst of 1,000 delays, which fall due within a few ticks. A delay whose tick had
     * already passed when it reached the wheel (its thread preempted for a millisecond in
     * between) runs at once instead of through the timer, hence the small allowance.
     */
    @Test
    void theSpliceCountersCountSpindlesSplicesAndNothingForAPeer() {
        final InjectSpliceCounters counters = new InjectSpliceCounters();
        try (ReactorSchedulerUnderTest.Started spindle = ReactorSchedulerUnderTest.SPINDLE.start()) {
            counters.begin(spindle.pool());
            ReactorSchedulerBenchmark.delays(spindle.scheduler());
            counters.end(spindle.pool());
        }
        assertThat(counters.injectSplicedTasks).as("tasks spliced by the timer")
                .isBetween(ReactorSchedulerBenchmark.DELAYS - 50L, (long) ReactorSchedulerBenchmark.DELAYS);
        assertThat(counters.injectSplices).as("timer splices, each carrying several delays").isBetween(1L, counters.injectSplicedTasks / 2);

        final InjectSpliceCounters peer = new InjectSpliceCounters();
        try (ReactorSchedulerUnderTest.Started parallel = ReactorSchedulerUnderTest.REACTOR_PARALLEL.start()) {
            peer.begin(parallel.pool());
            ReactorSchedulerBenchmark.delays(parallel.scheduler());
            peer.end(parallel.pool());
        }
        assertThat(peer.injectSplices).isZero();
        assertThat(peer.injectSplicedTasks).isZero();
    }

    @Test
    void theCountersAreTheSecondaryResultsTheReportReads() throws NoSuchFieldException {
        assertThat(InjectSpliceCounters.class.getField(InjectSpliceCounters.SPLICES).getType()).isEqualTo(long.class);
        assertThat(InjectSpliceCounters.class.getField(InjectSpliceCounters.SPLICED_TASKS).getType()).isEqualTo(long.class);
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void everySubjectParameterSelectsItsSubject(String executor) {
        assertThat(ReactorSchedulerUnderTest.forParam(executor).paramValue()).isEqualTo(executor);
    }

    private static List<String> paramValues(Class<?> state) throws NoSuchFieldException {
        return List.of(state.getField("executor").getAnnotation(Param.class).value());
    }
}
