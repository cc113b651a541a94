package io.spindle.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One subject's result for one benchmark: the median of every measurement iteration of every
 * fork, and the interval a reader should trust it to.
 *
 * <p>The interval is the median ± JMH's 99.9% confidence half-width of the mean when JMH
 * computed one, and the iterations' min–max range when it could not (JMH gives no error for
 * fewer than three iterations). Two scores whose intervals overlap are not told apart.
 *
 * @param median the median iteration score
 * @param error JMH's 99.9% error, NaN when JMH had too few iterations to compute it
 * @param min the lowest iteration score
 * @param max the highest iteration score
 * @param iterations how many measurement iterations the median was taken over
 * @param unit the score's unit, such as {@code ns/op} or {@code ops/s}
 */
record Score(double median, double error, double min, double max, int iterations, String unit) {

    Score {
        Objects.requireNonNull(unit, "unit");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, was " + iterations);
        }
    }

    /**
     * The score of a set of iteration results.
     *
     * @param iterationScores every measurement iteration's score, across all forks, in any order
     * @param error JMH's 99.9% error of the aggregated result (NaN if it has none)
     * @param unit the score's unit
     * @throws IllegalArgumentException if there are no iteration scores
     */
    static Score of(double[] iterationScores, double error, String unit) {
        final double[] sorted = iterationScores.clone();
        Arrays.sort(sorted);
        return new Score(median(sorted), error, sorted[0], sorted[sorted.length - 1], sorted.length, unit);
    }

    /**
     * The median of some values: the middle one of an odd count, the mean of the two middle ones
     * of an even count.
     *
     * @throws IllegalArgumentException if {@code values} is empty
     */
    static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values must not be empty");
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** Whether this score has JMH's error rather than falling back to the min–max range. */
    boolean hasError() {
        return Double.isFinite(error);
    }

    /** The low end of the interval this score is trusted to. */
    double low() {
        return hasError() ? median - error : min;
    }

    /** The high end of the interval this score is trusted to. */
    double high() {
        return hasError() ? median + error : max;
    }

    /**
     * Whether the two scores cannot be told apart: their intervals overlap, which is the case
     * whenever the errors are larger than the gap between the medians.
     */
    boolean overlaps(Score other) {
        return low() <= other.high() && other.low() <= high();
    }

    /** {@code 23.4 ± 0.5 ns/op}, or {@code 23.4 (22.9–24.1) ns/op} when there is no JMH error. */
    String format() {
        final int decimals = decimalsFor(median);
        if (hasError()) {
            return number(median, decimals) + " ± " + number(error, decimals) + " " + unit;
        }
        return number(median, decimals) + " (" + number(min, decimals) + "–" + number(max, decimals) + ") " + unit;
    }

    /** Three significant digits for small values, whole numbers from 100 up. */
    static int decimalsFor(double value) {
        final double magnitude = Math.abs(value);
        if (magnitude == 0 || !Double.isFinite(magnitude)) {
            return 0;
        }
        return Math.max(0, Math.min(6, 2 - (int) Math.floor(Math.log10(magnitude))));
    }

    /** The value with that many decimals, and thousands separators from 10,000 up. */
    private static String number(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return "NaN";
        }
        return String.format(Locale.ROOT, (Math.abs(value) >= 10_000 ? "%,." : "%.") + decimals + "f", value);
    }
}
