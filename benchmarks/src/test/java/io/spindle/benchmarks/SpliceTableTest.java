package io.spindle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.AverageTimeResult;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.IterationResultMetaData;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;

/** The splice table under a section, from results built by hand as JMH builds them. */
class SpliceTableTest {

    private static final String CLASS = "io.spindle.benchmarks.ReactorSchedulerBenchmark";

    private static BenchmarkParams params(String method, String executor) {
        final WorkloadParams workload = new WorkloadParams();
        workload.put("executor", executor, 0);
        return new BenchmarkParams(CLASS + "." + method, CLASS + "_generated", false, 1, new int[] {1}, List.of(),
                2, 0,
                new IterationParams(IterationType.WARMUP, 3, TimeValue.seconds(1), 1),
                new IterationParams(IterationType.MEASUREMENT, 2, TimeValue.seconds(1), 1),
                Mode.AverageTime, workload, TimeUnit.MICROSECONDS, 1, "java", List.of(), "17.0.15",
                "OpenJDK 64-Bit Server VM", "17.0.15+6", "1.37", TimeValue.minutes(10));
    }

    /**
     * Two forks of two iterations, each of {@code ops} operations of 1 ms; with counters, each
     * iteration made {@code splices} splices carrying {@code tasks} tasks.
     */
    private static RunResult result(String method, String executor, long ops, Long splices, Long tasks) {
        final BenchmarkParams params = params(method, executor);
        final List<BenchmarkResult> forks = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            final List<IterationResult> iterations = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                final IterationResult iteration = new IterationResult(params, params.getMeasurement(), new IterationResultMetaData(ops, ops));
                iteration.addResult(new AverageTimeResult(ResultRole.PRIMARY, method, ops, ops * 1_000_000, TimeUnit.MICROSECONDS));
                if (splices != null) {
                    iteration.addResult(new ScalarResult(InjectSpliceCounters.SPLICES, splices, "#", AggregationPolicy.SUM));
                    iteration.addResult(new ScalarResult(InjectSpliceCounters.SPLICED_TASKS, tasks, "#", AggregationPolicy.SUM));
                }
                iterations.add(iteration);
            }
            forks.add(new BenchmarkResult(params, iterations));
        }
        return new RunResult(params, forks);
    }

    @Test
    void showsSplicesPerOperationAndTasksPerSpliceOfTheSpindleSubjectOnly() {
        final String table = SpliceTable.render(List.of(
                result("delays", "spindle", 100, 150L, 100_000L),
                result("delays", "reactorParallel", 100, 0L, 0L),
                result("publishOn", "spindle", 10, 0L, 0L)));
        assertThat(table).contains("| benchmark | splices/op | tasks/splice |")
                .contains("| delays | 1.50 | 667 |")
                .contains("| publishOn | 0 | — |")
                .doesNotContain("reactorParallel");
    }

    @Test
    void isEmptyWhenNoResultCarriesTheCounters() {
        assertThat(SpliceTable.render(List.of(result("publishOn", "spindle", 10, null, null)))).isEmpty();
    }

    @Test
    void theSectionCarriesTheTableUnderTheComparison() {
        final RunEnvironment run = new RunEnvironment("OpenJDK 64-Bit Server VM 17.0.15", 2, Instant.parse("2025-01-31T12:00:00Z"),
                "benchmarks/run ReactorSchedulerBenchmark");
        final String section = ReportSection.render(List.of(
                result("delays", "spindle", 100, 150L, 100_000L),
                result("delays", "reactorParallel", 100, 0L, 0L)), run);
        assertThat(section.indexOf("| delays | 1.50 | 667 |")).isGreaterThan(section.indexOf("verdict"));
        assertThat(section).endsWith(ReportFile.closeMarker("ReactorSchedulerBenchmark") + "\n");
        assertThat(ReportFile.sections(ReportFile.update("", run, Map.of("ReactorSchedulerBenchmark", section))))
                .containsEntry("ReactorSchedulerBenchmark", section);
    }
}
