package io.spindle.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalStyleTest {

    private static final Map<String, String> XTERM = Map.of("TERM", "xterm-256color");

    @Test
    void aConsoleWithAColourTerminalGetsColour() {
        final TerminalStyle style = TerminalStyle.detect(true, XTERM, StandardCharsets.UTF_8);

        assertThat(style).isEqualTo(new TerminalStyle(true, true, "\u2014"));
        assertThat(style.green("x")).isEqualTo("\u001b[32mx\u001b[0m");
    }

    @Test
    void withoutAConsoleThereIsNeitherRedrawNorColour() {
        final TerminalStyle style = TerminalStyle.detect(false, XTERM, StandardCharsets.UTF_8);

        assertThat(style.interactive()).isFalse();
        assertThat(style.colour()).isFalse();
        assertThat(style.green("x")).isEqualTo("x");
    }

    @Test
    void aDumbTerminalRedrawsWithoutColour() {
        final TerminalStyle style = TerminalStyle.detect(true, Map.of("TERM", "dumb"), StandardCharsets.UTF_8);

        assertThat(style.interactive()).isTrue();
        assertThat(style.colour()).isFalse();
    }

    @Test
    void noColorTurnsColourOffUnlessEmpty() {
        assertThat(TerminalStyle.detect(true, Map.of("TERM", "xterm", "NO_COLOR", "1"), StandardCharsets.UTF_8).colour()).isFalse();
        assertThat(TerminalStyle.detect(true, Map.of("TERM", "xterm", "NO_COLOR", ""), StandardCharsets.UTF_8).colour()).isTrue();
    }

    @Test
    void anAsciiOutputGetsAHyphenForTheMissingValue() {
        assertThat(TerminalStyle.detect(false, Map.of(), StandardCharsets.US_ASCII).dash()).isEqualTo("-");
    }

    @Test
    void colourWithoutATerminalIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TerminalStyle(false, true, "-"))
                .withMessage("colour needs an interactive terminal");
    }
}
