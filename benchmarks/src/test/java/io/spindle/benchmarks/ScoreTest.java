package io.spindle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScoreTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(Score.median(new double[] {5, 1, 3})).isEqualTo(3);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Score.median(new double[] {10, 1, 4, 2})).isEqualTo(3);
    }

    @Test
    void medianOfOneValueIsThatValue() {
        assertThat(Score.median(new double[] {7.5})).isEqualTo(7.5);
    }

    @Test
    void medianIgnoresOutliersThatMoveTheMean() {
        assertThat(Score.median(new double[] {10, 11, 12, 13, 1_000})).isEqualTo(12);
    }

    @Test
    void medianDoesNotReorderItsInput() {
        final double[] values = {3, 1, 2};
        Score.median(values);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void medianOfNothingIsRejected() {
        assertThatThrownBy(() -> Score.median(new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void ofTakesMedianMinAndMaxOfTheIterations() {
        final Score score = Score.of(new double[] {4, 2, 9, 3, 5, 1}, 0.5, "ns/op");
        assertThat(score.median()).isEqualTo(3.5);
        assertThat(score.min()).isEqualTo(1);
        assertThat(score.max()).isEqualTo(9);
        assertThat(score.iterations()).isEqualTo(6);
        assertThat(score.unit()).isEqualTo("ns/op");
    }

    @Test
    void intervalIsMedianPlusOrMinusTheJmhError() {
        final Score score = new Score(10, 2, 5, 20, 10, "ns/op");
        assertThat(score.low()).isEqualTo(8);
        assertThat(score.high()).isEqualTo(12);
    }

    @Test
    void intervalFallsBackToMinMaxWithoutAJmhError() {
        final Score score = new Score(10, Double.NaN, 5, 20, 2, "ns/op");
        assertThat(score.low()).isEqualTo(5);
        assertThat(score.high()).isEqualTo(20);
    }

    @Test
    void scoresWhoseErrorsSpanTheGapOverlap() {
        final Score a = new Score(10, 1.5, 10, 10, 10, "ns/op");
        final Score b = new Score(12, 0.5, 12, 12, 10, "ns/op");
        assertThat(a.overlaps(b)).isTrue();
        assertThat(b.overlaps(a)).isTrue();
    }

    @Test
    void scoresWhoseErrorsAreSmallerThanTheGapDoNotOverlap() {
        final Score a = new Score(10, 0.5, 10, 10, 10, "ns/op");
        final Score b = new Score(12, 0.5, 12, 12, 10, "ns/op");
        assertThat(a.overlaps(b)).isFalse();
        assertThat(b.overlaps(a)).isFalse();
    }

    @Test
    void formatShowsMedianErrorAndUnit() {
        assertThat(new Score(23.44, 0.51, 0, 0, 10, "ns/op").format()).isEqualTo("23.4 ± 0.5 ns/op");
        assertThat(new Score(1234.6, 12.2, 0, 0, 10, "ns/op").format()).isEqualTo("1235 ± 12 ns/op");
        assertThat(new Score(1.234, 0.01, 0, 0, 10, "ns/op").format()).isEqualTo("1.23 ± 0.01 ns/op");
        assertThat(new Score(634.2, 174_468_014.4, 0, 0, 10, "ns/op").format()).isEqualTo("634 ± 174,468,014 ns/op");
        assertThat(new Score(12_345_678, 1_000, 0, 0, 10, "ops/s").format()).isEqualTo("12,345,678 ± 1000 ops/s");
    }

    @Test
    void formatShowsTheRangeWithoutAJmhError() {
        assertThat(new Score(23.44, Double.NaN, 22.91, 24.07, 2, "ns/op").format())
                .isEqualTo("23.4 (22.9–24.1) ns/op");
    }
}
