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
import org.openjdk.jmh.results.AverageTimeResult;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.IterationResultMetaData;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.ThroughputResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;

/** The path from JMH's result objects to a section, on results built by hand. */
class ReportSectionTest {

    private static final String CLASS = "io.spindle.benchmarks.InjectQueueBenchmark";

    private static final RunEnvironment RUN =
            new RunEnvironment("OpenJDK 64-Bit Server VM 17.0.15", 2, Instant.parse("2025-01-31T12:00:00Z"),
                    "benchmarks/run InjectQueueBenchmark");

    private static BenchmarkParams params(String benchmark, Mode mode, int threads, Map<String, String> parameters) {
        final WorkloadParams workload = new WorkloadParams();
        int order = 0;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            workload.put(parameter.getKey(), parameter.getValue(), order++);
        }
        return new BenchmarkParams(benchmark, benchmark + "_generated", false, threads, new int[] {threads}, List.of(),
                2, 0,
                new IterationParams(IterationType.WARMUP, 5, TimeValue.seconds(1), 1),
                new IterationParams(IterationType.MEASUREMENT, 5, TimeValue.seconds(1), 1),
                mode, workload, TimeUnit.NANOSECONDS, 1, "java", List.of(), "17.0.15",
                "OpenJDK 64-Bit Server VM", "17.0.15+6", "1.37", TimeValue.minutes(10));
    }

    /** A result of two forks, each with the given iteration scores. */
    private static RunResult result(String method, Mode mode, int threads, Map<String, String> parameters,
            double[] fork1, double[] fork2) {
        final BenchmarkParams params = params(CLASS + "." + method, mode, threads, parameters);
        final List<BenchmarkResult> forks = new ArrayList<>();
        for (double[] fork : List.of(fork1, fork2)) {
            final List<IterationResult> iterations = new ArrayList<>();
            for (double score : fork) {
                final IterationResult iteration = new IterationResult(params, params.getMeasurement(),
                        new IterationResultMetaData(1000, 1000));
                iteration.addResult(mode == Mode.Throughput
                        // score operations in one second
                        ? new ThroughputResult(ResultRole.PRIMARY, method, score, 1_000_000_000L, TimeUnit.SECONDS)
                        // 1000 operations in 1000 × score nanoseconds
                        : new AverageTimeResult(ResultRole.PRIMARY, method, 1000, Math.round(score * 1000),
                                TimeUnit.NANOSECONDS));
                iterations.add(iteration);
            }
            forks.add(new BenchmarkResult(params, iterations));
        }
        return new RunResult(params, forks);
    }

    @Test
    void scoreIsTheMedianOfEveryIterationOfEveryFork() {
        final RunResult result = result("pushPop1Thread", Mode.AverageTime, 1, Map.of("queue", "InjectQueue"),
                new double[] {10, 11, 12, 13, 100}, new double[] {20, 21, 22, 23, 24});
        final Score score = ReportSection.score(result);
        assertThat(score.median()).isEqualTo((20 + 21) / 2.0);
        assertThat(score.min()).isEqualTo(10);
        assertThat(score.max()).isEqualTo(100);
        assertThat(score.iterations()).isEqualTo(10);
        assertThat(score.unit()).isEqualTo("ns/op");
        assertThat(score.error()).isEqualTo(result.getPrimaryResult().getScoreError());
    }

    @Test
    void sectionHasARowPerMethodAndAColumnPerQueueWithSpindleFirst() {
        final double[] fast = {10, 10, 10, 10, 10};
        final double[] slow = {20, 20, 20, 20, 20};
        final double[] slower = {40, 40, 40, 40, 40};
        final List<RunResult> results = List.of(
                result("pushPop1Thread", Mode.AverageTime, 1, Map.of("queue", "ConcurrentLinkedQueue"), slower, slower),
                result("pushPop1Thread", Mode.AverageTime, 1, Map.of("queue", "InjectQueue"), fast, fast),
                result("pushPop1Thread", Mode.AverageTime, 1, Map.of("queue", "MpmcUnboundedXaddArrayQueue"), slow, slow),
                result("pushPop4Threads", Mode.AverageTime, 4, Map.of("queue", "ConcurrentLinkedQueue"), fast, fast),
                result("pushPop4Threads", Mode.AverageTime, 4, Map.of("queue", "InjectQueue"), slower, slower),
                result("pushPop4Threads", Mode.AverageTime, 4, Map.of("queue", "MpmcUnboundedXaddArrayQueue"), slow, slow));

        assertThat(ReportSection.byClass(results).keySet()).containsExactly("InjectQueueBenchmark");
        final String section = ReportSection.render(results, RUN);

        assertThat(section).startsWith("<!-- section:InjectQueueBenchmark -->\n## InjectQueueBenchmark\n");
        assertThat(section).endsWith("<!-- /section:InjectQueueBenchmark -->\n");
        assertThat(section).contains("- Run: JDK OpenJDK 64-Bit Server VM 17.0.15 · nproc 2 · 2025-01-31 12:00 UTC\n");
        assertThat(section).contains("- Command: `benchmarks/run InjectQueueBenchmark`\n");
        assertThat(section).contains("- JMH: mode avgt (lower is better) · forks 2 · warmup 5 × 1 s"
                + " · measurement 5 × 1 s · each cell is the median of 10 iterations\n");
        assertThat(section).contains(
                "| benchmark | threads | InjectQueue (Spindle) | ConcurrentLinkedQueue | MpmcUnboundedXaddArrayQueue | verdict |\n");
        assertThat(section).contains("| pushPop1Thread | 1 | 10.0 ± 0.0 ns/op (2.00×) | 40.0 ± 0.0 ns/op (0.50×)"
                + " | 20.0 ± 0.0 ns/op (1.00×) | Spindle 2.00× better |\n");
        assertThat(section).contains("| pushPop4Threads | 4 | 40.0 ± 0.0 ns/op (0.25×) | 10.0 ± 0.0 ns/op (1.00×)"
                + " | 20.0 ± 0.0 ns/op (0.50×) | peer 4.00× better (ConcurrentLinkedQueue) |\n");
    }

    @Test
    void otherParametersBecomeLabelColumnsAndThroughputIsBetterHigher() {
        final double[] many = {2000, 2000, 2000, 2000, 2000};
        final double[] few = {1000, 1000, 1000, 1000, 1000};
        final List<RunResult> results = List.of(
                result("chain", Mode.Throughput, 1, Map.of("executor", "fjpAsync", "depth", "8"), few, few),
                result("chain", Mode.Throughput, 1, Map.of("executor", "spindle", "depth", "8"), many, many));
        final ComparisonTable table = ReportSection.table(results);
        assertThat(table.toMarkdown()).isEqualTo(""
                + "| benchmark | depth | spindle | fjpAsync | verdict |\n"
                + "| :-- | :-- | --: | --: | :-- |\n"
                + "| chain | 8 | 2000 ± 0 ops/s (2.00×) | 1000 ± 0 ops/s (1.00×) | Spindle 2.00× better |\n");
    }
}
