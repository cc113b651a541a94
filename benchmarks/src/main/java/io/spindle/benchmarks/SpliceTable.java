package io.spindle.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The inject-splice counts of a class's Spindle results ({@link InjectSpliceCounters}) as a
 * Markdown table under its comparison table: per benchmark, splices per operation and tasks per
 * splice, each a ratio of sums over every measurement iteration of every fork (operations from
 * JMH's per-iteration operation counts).
 */
final class SpliceTable {

    private SpliceTable() {}

    /**
     * The table, with a line saying what it shows, or the empty string if no Spindle result of
     * {@code results} carries the counters.
     *
     * @param results one class's results
     */
    static String render(List<RunResult> results) {
        final List<List<String>> rows = new ArrayList<>();
        boolean anyParameters = false;
        for (RunResult result : results) {
            final BenchmarkParams params = result.getParams();
            final String subject = ReportSection.subjectParameter(params);
            if (subject == null || !ReportSection.SPINDLE_SUBJECTS.contains(params.getParam(subject))) {
                continue;
            }
            final Totals totals = Totals.of(result);
            if (totals == null) {
                continue;
            }
            final String parameters = params.getParamsKeys().stream()
                    .filter(key -> !key.equals(subject))
                    .map(key -> key + "=" + params.getParam(key))
                    .collect(Collectors.joining(", "));
            anyParameters |= !parameters.isEmpty();
            rows.add(List.of(ReportSection.simpleName(params.getBenchmark()), parameters,
                    ratio(totals.splices, totals.operations), totals.splices == 0 ? "—" : ratio(totals.tasks, totals.splices)));
        }
        if (rows.isEmpty()) {
            return "";
        }
        final StringBuilder out = new StringBuilder();
        out.append("Inject splices on the Spindle subject (`PoolMetrics.injectSpliceCount()` and `injectSplicedTaskCount()`"
                + " over the measured operations): a splice is one critical section on the inject queue whatever it carries,"
                + " a full local queue's newer half, a timer tick's due tasks or an `executeAll` batch.\n\n");
        out.append(anyParameters ? "| benchmark | parameters | splices/op | tasks/splice |\n| :-- | :-- | --: | --: |\n"
                : "| benchmark | splices/op | tasks/splice |\n| :-- | --: | --: |\n");
        for (List<String> row : rows) {
            out.append("| ").append(row.get(0)).append(" | ");
            if (anyParameters) {
                out.append(row.get(1).isEmpty() ? "—" : row.get(1)).append(" | ");
            }
            out.append(row.get(2)).append(" | ").append(row.get(3)).append(" |\n");
        }
        return out.toString();
    }

    /** Three significant digits below 100, whole numbers (with separators) from there. */
    static String ratio(double numerator, double denominator) {
        if (denominator == 0) {
            return "—";
        }
        final double value = numerator / denominator;
        final int decimals = Score.decimalsFor(value);
        return String.format(Locale.ROOT, (Math.abs(value) >= 10_000 ? "%,." : "%.") + decimals + "f", value);
    }

    /** Sums over the measurement iterations of every fork. */
    private record Totals(double operations, double splices, double tasks) {

        /** The totals, or null if the result does not carry both counters. */
        static Totals of(RunResult result) {
            double operations = 0;
            double splices = 0;
            double tasks = 0;
            for (BenchmarkResult fork : result.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    // var: JMH declares the map with the raw Result type.
                    final var secondary = iteration.getSecondaryResults();
                    final Result<?> spliceCount = secondary.get(InjectSpliceCounters.SPLICES);
                    final Result<?> taskCount = secondary.get(InjectSpliceCounters.SPLICED_TASKS);
                    if (spliceCount == null || taskCount == null) {
                        return null;
                    }
                    operations += iteration.getMetadata().getMeasuredOps();
                    splices += spliceCount.getScore();
                    tasks += taskCount.getScore();
                }
            }
            return new Totals(operations, splices, tasks);
        }
    }
}
