package io.spindle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    private static final Set<String> SPINDLE = Set.of("spindle");

    private static Score score(double median, double error) {
        return new Score(median, error, median, median, 10, "ns/op");
    }

    private static ComparisonTable.Row row(Direction direction, Object... subjectsAndScores) {
        final Map<String, Score> scores = new LinkedHashMap<>();
        for (int i = 0; i < subjectsAndScores.length; i += 2) {
            scores.put((String) subjectsAndScores[i], (Score) subjectsAndScores[i + 1]);
        }
        return new ComparisonTable.Row(List.of("bench"), direction, scores);
    }

    @Test
    void bestPeerOfATimeScoreIsTheLowestAndIgnoresSpindle() {
        final ComparisonTable.Row row = row(Direction.LOWER_IS_BETTER,
                "spindle", score(5, 0.1), "fjp", score(12, 0.1), "reactor", score(10, 0.1));
        assertThat(ComparisonTable.bestPeer(row, SPINDLE)).get()
                .extracting(ComparisonTable.Entry::subject).isEqualTo("reactor");
    }

    @Test
    void bestPeerOfAThroughputScoreIsTheHighest() {
        final ComparisonTable.Row row = row(Direction.HIGHER_IS_BETTER,
                "spindle", score(500, 1), "fjp", score(120, 1), "reactor", score(100, 1));
        assertThat(ComparisonTable.bestPeer(row, SPINDLE)).get()
                .extracting(ComparisonTable.Entry::subject).isEqualTo("fjp");
    }

    @Test
    void verdictNamesSpindleWhenItsIntervalIsClearOfTheBestPeer() {
        final ComparisonTable.Row row = row(Direction.LOWER_IS_BETTER,
                "spindle", score(8, 0.5), "fjp", score(12, 0.5), "reactor", score(10, 0.5));
        assertThat(ComparisonTable.verdict(row, SPINDLE)).isEqualTo("Spindle 1.25× better");
    }

    @Test
    void verdictNamesThePeerWhenItIsClearlyBetter() {
        final ComparisonTable.Row row = row(Direction.LOWER_IS_BETTER,
                "spindle", score(15, 0.5), "fjp", score(12, 0.5), "reactor", score(10, 0.5));
        assertThat(ComparisonTable.verdict(row, SPINDLE)).isEqualTo("peer 1.50× better (reactor)");
    }

    @Test
    void verdictFollowsTheDirectionOfThroughput() {
        final ComparisonTable.Row row = row(Direction.HIGHER_IS_BETTER,
                "spindle", score(300, 1), "fjp", score(100, 1), "reactor", score(150, 1));
        assertThat(ComparisonTable.verdict(row, SPINDLE)).isEqualTo("Spindle 2.00× better");
    }

    @Test
    void verdictIsATieWhenTheErrorExceedsTheGap() {
        // 1.5× apart on the medians, but the error bars are wider than the gap.
        final ComparisonTable.Row row = row(Direction.LOWER_IS_BETTER,
                "spindle", score(10, 3), "fjp", score(15, 3));
        assertThat(ComparisonTable.verdict(row, SPINDLE)).isEqualTo("tie");
    }

    @Test
    void verdictIsATieWhenMinMaxRangesOverlapWithoutJmhError() {
        final ComparisonTable.Row row = row(Direction.LOWER_IS_BETTER,
                "spindle", new Score(10, Double.NaN, 9, 14, 2, "ns/op"),
                "fjp", new Score(15, Double.NaN, 13.5, 16, 2, "ns/op"));
        assertThat(ComparisonTable.verdict(row, SPINDLE)).isEqualTo("tie");
    }

    @Test
    void verdictSaysWhatIsMissing() {
        assertThat(ComparisonTable.verdict(row(Direction.LOWER_IS_BETTER, "fjp", score(1, 0)), SPINDLE))
                .isEqualTo("no Spindle result");
        assertThat(ComparisonTable.verdict(row(Direction.LOWER_IS_BETTER, "spindle", score(1, 0)), SPINDLE))
                .isEqualTo("no peer result");
    }

    @Test
    void tableHasAColumnPerSubjectWithRatiosToTheBestPeerAndAVerdict() {
        final ComparisonTable table = new ComparisonTable(
                List.of("benchmark", "threads"),
                List.of("InjectQueue", "ConcurrentLinkedQueue", "Xadd"),
                Set.of("InjectQueue"),
                List.of(
                        new ComparisonTable.Row(List.of("pushPop", "2"), Direction.LOWER_IS_BETTER, Map.of(
                                "InjectQueue", score(10, 0.5),
                                "ConcurrentLinkedQueue", score(20, 0.5),
                                "Xadd", score(15, 0.5))),
                        new ComparisonTable.Row(List.of("batch", "1"), Direction.LOWER_IS_BETTER, Map.of(
                                "ConcurrentLinkedQueue", score(1000, 10),
                                "Xadd", score(500, 10)))));
        assertThat(table.toMarkdown()).isEqualTo(""
                + "| benchmark | threads | InjectQueue (Spindle) | ConcurrentLinkedQueue | Xadd | verdict |\n"
                + "| :-- | :-- | --: | --: | --: | :-- |\n"
                + "| pushPop | 2 | 10.0 ± 0.5 ns/op (1.50×) | 20.0 ± 0.5 ns/op (0.75×) | 15.0 ± 0.5 ns/op (1.00×)"
                + " | Spindle 1.50× better |\n"
                + "| batch | 1 | — | 1000 ± 10 ns/op (0.50×) | 500 ± 10 ns/op (1.00×) | no Spindle result |\n");
    }

    @Test
    void pipesInCellsAreEscaped() {
        final ComparisonTable table = new ComparisonTable(List.of("benchmark"), List.of("a"), Set.of(),
                List.of(new ComparisonTable.Row(List.of("x|y"), Direction.LOWER_IS_BETTER, Map.of("a", score(1, 0)))));
        assertThat(table.toMarkdown()).contains("| x\\|y |");
    }

    @Test
    void rowsMustFillEveryLabelColumn() {
        assertThatThrownBy(() -> new ComparisonTable(List.of("benchmark", "threads"), List.of("a"), Set.of(),
                List.of(new ComparisonTable.Row(List.of("x"), Direction.LOWER_IS_BETTER, Map.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 labels, expected 2");
    }
}
