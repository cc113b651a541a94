package io.spindle.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void percentilesAreNearestRank() {
        final long[] thousand = LongStream.rangeClosed(1, 1000).map(i -> 1001 - i).toArray();

        assertThat(LatencySummary.of(thousand)).isEqualTo(new LatencySummary(500, 990, 999, 1000));
    }

    @Test
    void aSingleLatencyIsEveryPercentile() {
        assertThat(LatencySummary.of(new long[] {7})).isEqualTo(new LatencySummary(7, 7, 7, 7));
    }

    @Test
    void theInputIsNotReordered() {
        final long[] latencies = {3, 1, 2};

        LatencySummary.of(latencies);

        assertThat(latencies).containsExactly(3, 1, 2);
    }

    @Test
    void noLatencyIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> LatencySummary.of(new long[0]))
                .withMessage("latencies must hold at least one value, was empty");
    }
}
