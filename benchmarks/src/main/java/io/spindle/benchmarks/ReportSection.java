package io.spindle.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns the JMH results of one benchmark class into its section of BENCHMARKS.md: the run it
 * came from, the JMH settings, and a {@link ComparisonTable}.
 *
 * <p>Under the table, for classes whose Spindle results carry {@link InjectSpliceCounters}, the
 * {@link SpliceTable} of inject splices per operation and tasks per splice.
 *
 * <p>A section is delimited by {@code <!-- section:ClassName -->} and
 * {@code <!-- /section:ClassName -->} so that {@link ReportFile} can replace it alone.
 */
final class ReportSection {

    /**
     * The parameters whose values are the table's columns: {@code executor} for
     * {@link ExecutorState#executor}, {@code queue} for {@link InjectQueueBenchmark#queue}.
     * The first one a benchmark has wins.
     */
    static final List<String> SUBJECT_PARAMETERS = List.of("executor", "queue");

    /** Subjects that are Spindle's own; every other subject is a peer. */
    static final Set<String> SPINDLE_SUBJECTS =
            Set.of(ExecutorUnderTest.SPINDLE.paramValue(), QueueUnderTest.INJECT_QUEUE.paramValue());

    /**
     * Subjects shown for reference and never counted as a peer: the executor that runs every
     * task on its submitter's thread is the floor of what a shape costs, not a scheduler.
     */
    static final Set<String> FLOOR_SUBJECTS = Set.of(ExecutorUnderTest.IMMEDIATE.paramValue());

    /** The single column of a benchmark that has no subject parameter. */
    static final String NO_SUBJECT = "score";

    private ReportSection() {}

    /**
     * Groups run results by the simple name of their benchmark class, in run order.
     *
     * @return class simple name to its results
     */
    static Map<String, List<RunResult>> byClass(Collection<RunResult> results) {
        final Map<String, List<RunResult>> byClass = new LinkedHashMap<>();
        for (RunResult result : results) {
            byClass.computeIfAbsent(simpleName(className(result.getParams().getBenchmark())), k -> new ArrayList<>())
                    .add(result);
        }
        return byClass;
    }

    /**
     * The Markdown of one class's section, markers included.
     *
     * @param results the results of that class's benchmarks, all from this run, not empty
     * @param run the run they came from
     */
    static String render(List<RunResult> results, RunEnvironment run) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("results must not be empty");
        }
        final String className = className(results.get(0).getParams().getBenchmark());
        final String name = simpleName(className);
        final StringBuilder out = new StringBuilder();
        out.append(ReportFile.openMarker(name)).append('\n');
        out.append("## ").append(name).append("\n\n");
        out.append("- Source: [`").append(className).append("`](benchmarks/src/main/java/")
                .append(className.replace('.', '/')).append(".java)\n");
        out.append("- Run: ").append(run.describe()).append('\n');
        out.append("- Command: ").append(run.commandAsCode()).append('\n');
        out.append("- JMH: ").append(settings(results)).append("\n\n");
        out.append(table(results).toMarkdown());
        final String splices = SpliceTable.render(results);
        if (!splices.isEmpty()) {
            out.append('\n').append(splices);
        }
        out.append(ReportFile.closeMarker(name)).append('\n');
        return out.toString();
    }

    /** The comparison table of one class's results. */
    static ComparisonTable table(List<RunResult> results) {
        final boolean showMode = distinct(results, p -> p.getMode().shortLabel()).size() > 1;
        final boolean showThreads = results.stream().anyMatch(r -> r.getParams().getThreads() != 1);
        final Set<String> parameterColumns = new LinkedHashSet<>();
        for (RunResult result : results) {
            for (String key : result.getParams().getParamsKeys()) {
                if (!key.equals(subjectParameter(result.getParams()))) {
                    parameterColumns.add(key);
                }
            }
        }

        final List<String> labelHeaders = new ArrayList<>();
        labelHeaders.add("benchmark");
        if (showMode) {
            labelHeaders.add("mode");
        }
        if (showThreads) {
            labelHeaders.add("threads");
        }
        labelHeaders.addAll(parameterColumns);

        final Map<List<String>, Direction> directions = new LinkedHashMap<>();
        final Map<List<String>, Map<String, Score>> scores = new LinkedHashMap<>();
        final Set<String> spindleColumns = new LinkedHashSet<>();
        final Set<String> peerColumns = new LinkedHashSet<>();
        for (RunResult result : results) {
            final BenchmarkParams params = result.getParams();
            final List<String> labels = new ArrayList<>();
            labels.add(simpleName(params.getBenchmark()));
            if (showMode) {
                labels.add(params.getMode().shortLabel());
            }
            if (showThreads) {
                labels.add(Integer.toString(params.getThreads()));
            }
            for (String key : parameterColumns) {
                final String value = params.getParamsKeys().contains(key) ? params.getParam(key) : null;
                labels.add(value == null ? "—" : value);
            }
            final String parameter = subjectParameter(params);
            final String subject = parameter == null ? NO_SUBJECT : params.getParam(parameter);
            (SPINDLE_SUBJECTS.contains(subject) ? spindleColumns : peerColumns).add(subject);
            directions.put(labels, Direction.of(params.getMode()));
            scores.computeIfAbsent(labels, k -> new LinkedHashMap<>()).put(subject, score(result));
        }

        final List<ComparisonTable.Row> rows = new ArrayList<>();
        scores.forEach((labels, row) -> rows.add(new ComparisonTable.Row(labels, directions.get(labels), row)));
        final List<String> subjects = new ArrayList<>(spindleColumns);
        subjects.addAll(peerColumns);
        return new ComparisonTable(labelHeaders, subjects, SPINDLE_SUBJECTS, FLOOR_SUBJECTS, rows);
    }

    /**
     * The score of one benchmark: the median over every measurement iteration of every fork,
     * with the error JMH computed for the aggregate of them all.
     */
    static Score score(RunResult result) {
        final List<Double> iterationScores = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            for (IterationResult iteration : fork.getIterationResults()) {
                iterationScores.add(iteration.getPrimaryResult().getScore());
            }
        }
        final Result<?> aggregate = result.getPrimaryResult();
        return Score.of(iterationScores.stream().mapToDouble(Double::doubleValue).toArray(),
                aggregate.getScoreError(), aggregate.getScoreUnit());
    }

    /** The JMH settings of the results, each listing every distinct value used. */
    static String settings(List<RunResult> results) {
        return "mode " + join(distinct(results, p -> p.getMode().shortLabel() + " ("
                        + Direction.of(p.getMode()).name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")"))
                + " · forks " + join(distinct(results, p -> Integer.toString(p.getForks())))
                + " · warmup " + join(distinct(results, p -> iterations(p.getWarmup())))
                + " · measurement " + join(distinct(results, p -> iterations(p.getMeasurement())))
                + " · each cell is the median of "
                + join(results.stream().map(r -> Integer.toString(score(r).iterations()))
                        .collect(Collectors.toCollection(LinkedHashSet::new)))
                + " iterations";
    }

    private static String iterations(IterationParams params) {
        if (params.getCount() == 0) {
            return "none";
        }
        final String batch = params.getBatchSize() == 1 ? "" : " (batch " + params.getBatchSize() + ")";
        return params.getCount() + " × " + params.getTime() + batch;
    }

    private static Set<String> distinct(List<RunResult> results, Function<BenchmarkParams, String> value) {
        return results.stream().map(r -> value.apply(r.getParams())).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static String join(Set<String> values) {
        return String.join(" / ", values);
    }

    /** The parameter naming the subject of {@code params}, or null if it has none. */
    static String subjectParameter(BenchmarkParams params) {
        for (String parameter : SUBJECT_PARAMETERS) {
            if (params.getParamsKeys().contains(parameter)) {
                return parameter;
            }
        }
        return null;
    }

    /** {@code io.spindle.benchmarks.FooBenchmark.bar} to {@code io.spindle.benchmarks.FooBenchmark}. */
    static String className(String benchmark) {
        return benchmark.substring(0, benchmark.lastIndexOf('.'));
    }

    /** The part after the last dot. */
    static String simpleName(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
