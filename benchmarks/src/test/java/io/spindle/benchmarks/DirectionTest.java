package io.spindle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;

class DirectionTest {

    @Test
    void throughputIsBetterHigher() {
        assertThat(Direction.of(Mode.Throughput)).isEqualTo(Direction.HIGHER_IS_BETTER);
    }

    @Test
    void everyTimeModeIsBetterLower() {
        assertThat(Direction.of(Mode.AverageTime)).isEqualTo(Direction.LOWER_IS_BETTER);
        assertThat(Direction.of(Mode.SampleTime)).isEqualTo(Direction.LOWER_IS_BETTER);
        assertThat(Direction.of(Mode.SingleShotTime)).isEqualTo(Direction.LOWER_IS_BETTER);
    }

    @Test
    void speedupAboveOneMeansBetterInEitherDirection() {
        assertThat(Direction.HIGHER_IS_BETTER.speedup(200, 100)).isEqualTo(2.0);
        assertThat(Direction.LOWER_IS_BETTER.speedup(50, 100)).isEqualTo(2.0);
        assertThat(Direction.HIGHER_IS_BETTER.speedup(50, 100)).isEqualTo(0.5);
        assertThat(Direction.LOWER_IS_BETTER.speedup(200, 100)).isEqualTo(0.5);
        assertThat(Direction.LOWER_IS_BETTER.speedup(30, 40)).isCloseTo(1.3333, within(1e-4));
    }

    @Test
    void speedupAgainstItselfIsOne() {
        assertThat(Direction.HIGHER_IS_BETTER.speedup(7, 7)).isEqualTo(1.0);
        assertThat(Direction.LOWER_IS_BETTER.speedup(7, 7)).isEqualTo(1.0);
    }

    @Test
    void speedupOfAZeroScoreIsUndefined() {
        assertThat(Direction.LOWER_IS_BETTER.speedup(0, 10)).isNaN();
        assertThat(Direction.HIGHER_IS_BETTER.speedup(10, 0)).isNaN();
    }

    @Test
    void betterFollowsTheDirection() {
        assertThat(Direction.HIGHER_IS_BETTER.isBetter(2, 1)).isTrue();
        assertThat(Direction.LOWER_IS_BETTER.isBetter(2, 1)).isFalse();
        assertThat(Direction.LOWER_IS_BETTER.isBetter(1, 2)).isTrue();
        assertThat(Direction.HIGHER_IS_BETTER.isBetter(1, 1)).isFalse();
    }
}
