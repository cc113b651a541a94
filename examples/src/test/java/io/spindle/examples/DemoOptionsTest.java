package io.spindle.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void noArgumentsGiveTheDefaults() {
        final DemoOptions options = DemoOptions.parse();

        assertThat(options).isEqualTo(DemoOptions.defaults());
        assertThat(options.requests()).isEqualTo(DemoOptions.DEFAULT_REQUESTS);
        assertThat(options.workers()).isEqualTo(Math.min(DemoOptions.MAX_WORKERS, Runtime.getRuntime().availableProcessors()));
        assertThat(options.slowRatio()).isEqualTo(DemoOptions.DEFAULT_SLOW_RATIO);
        assertThat(options.help()).isFalse();
    }

    @Test
    void everyOptionIsReadWithItsValueAfterItOrAfterAnEqualsSign() {
        assertThat(DemoOptions.parse("--requests", "2000", "--workers", "3", "--slow-ratio", "0.25"))
                .isEqualTo(new DemoOptions(2000, 3, 0.25, false));
        assertThat(DemoOptions.parse("--requests=10_000", "--workers=1", "--slow-ratio=1"))
                .isEqualTo(new DemoOptions(10_000, 1, 1.0, false));
    }

    @Test
    void theLaterOfTwoEqualOptionsWins() {
        assertThat(DemoOptions.parse("--workers", "2", "--workers", "5").workers()).isEqualTo(5);
    }

    @Test
    void helpIsAFlagInEitherSpelling() {
        assertThat(DemoOptions.parse("--help").help()).isTrue();
        assertThat(DemoOptions.parse("--requests", "5", "-h").help()).isTrue();
    }

    @Test
    void rangeBoundsAreAccepted() {
        assertThat(DemoOptions.parse("--requests", "1", "--workers", "256", "--slow-ratio", "0"))
                .isEqualTo(new DemoOptions(1, 256, 0.0, false));
        assertThat(DemoOptions.parse("--requests", "10000000").requests()).isEqualTo(DemoOptions.MAX_REQUESTS);
    }

    @Test
    void anOutOfRangeValueNamesTheOptionTheValueAndTheRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--requests", "0"))
                .withMessage("--requests must be in 1..10000000, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--requests", "99999999999"))
                .withMessage("--requests must be in 1..10000000, was 99999999999");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--workers", "257"))
                .withMessage("--workers must be in 1..256, was 257");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--slow-ratio", "1.5"))
                .withMessage("--slow-ratio must be in 0..1, was 1.5");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--slow-ratio=-0.1"))
                .withMessage("--slow-ratio must be in 0..1, was -0.1");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--slow-ratio", "NaN"))
                .withMessage("--slow-ratio must be in 0..1, was NaN");
    }

    @Test
    void aValueThatIsNotANumberNamesTheOptionTheValueAndTheRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--workers", "two"))
                .withMessage("--workers must be a whole number in 1..256, was 'two'");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--requests", "1.5"))
                .withMessage("--requests must be a whole number in 1..10000000, was '1.5'");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--slow-ratio", "half"))
                .withMessage("--slow-ratio must be a number in 0..1, was 'half'");
    }

    @Test
    void aMissingValueNamesTheOptionAndTheRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--requests"))
                .withMessage("--requests needs a value: a whole number in 1..10000000");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--workers", "2", "--slow-ratio"))
                .withMessage("--slow-ratio needs a value: a number in 0..1");
    }

    @Test
    void anUnknownOptionIsNamedWithTheAcceptedOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--tasks", "5"))
                .withMessage("unknown option '--tasks'; accepted: --requests N, --workers N, --slow-ratio X, --help");
    }

    @Test
    void theConstructorChecksTheSameRanges() {
        assertThatIllegalArgumentException().isThrownBy(() -> new DemoOptions(5, 0, 0.5, false))
                .withMessage("--workers must be in 1..256, was 0");
    }

    @Test
    void usageListsEveryOption() {
        assertThat(DemoOptions.USAGE).contains("--requests N", "--workers N", "--slow-ratio X", "--help", "1..10000000", "1..256", "0..1");
    }
}
