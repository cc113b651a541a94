package io.spindle.benchmarks;

import org.openjdk.jmh.annotations.Mode;

/** Which way a score is better: JMH's throughput grows with speed, every time-based mode shrinks. */
enum Direction {
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER;

    /**
     * The direction of a JMH mode's score.
     *
     * @param mode a single JMH mode ({@link Mode#All} is expanded by JMH before anything runs)
     * @return {@link #HIGHER_IS_BETTER} for throughput, {@link #LOWER_IS_BETTER} for average,
     *     sample and single-shot time
     */
    static Direction of(Mode mode) {
        switch (mode) {
            case Throughput:
                return HIGHER_IS_BETTER;
            case AverageTime:
            case SampleTime:
            case SingleShotTime:
                return LOWER_IS_BETTER;
            default:
                throw new IllegalArgumentException("mode must be one of thrpt, avgt, sample, ss; was " + mode);
        }
    }

    /**
     * How many times better {@code score} is than {@code reference}: above 1 it is better, below
     * 1 worse, whatever the direction. Throughput {@code 200} against {@code 100} is 2; time
     * {@code 50} against {@code 100} is 2 as well.
     *
     * @return the speed-up, or NaN when either score is zero, negative or not finite
     */
    double speedup(double score, double reference) {
        if (!(score > 0) || !(reference > 0) || Double.isInfinite(score) || Double.isInfinite(reference)) {
            return Double.NaN;
        }
        return this == HIGHER_IS_BETTER ? score / reference : reference / score;
    }

    /** Whether {@code score} is strictly better than {@code other}. */
    boolean isBetter(double score, double other) {
        return this == HIGHER_IS_BETTER ? score > other : score < other;
    }
}
