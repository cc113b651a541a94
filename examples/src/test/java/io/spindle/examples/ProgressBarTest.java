package io.spindle.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void onATerminalItRedrawsOneLineAndEndsIt() {
        final ProgressBar bar = new ProgressBar(out, new TerminalStyle(true, false, "-"), "spindle");

        bar.progress(10, 100, 1_000_000_000L);
        bar.progress(60, 100, 2_000_000_000L);
        bar.finish(100, 3_000_000_000L);

        final String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output).startsWith("\r").endsWith(System.lineSeparator());
        assertThat(output.split("\r")).hasSize(4);
        assertThat(output.chars().filter(c -> c == '\n')).as("line feeds").hasSize(1);
        assertThat(output).contains(" 10%", " 60%", "100%", "[" + "#".repeat(30) + "]");
        assertThat(output).doesNotContain("\u001b");
    }

    @Test
    void withColourTheFilledPartIsGreen() {
        final ProgressBar bar = new ProgressBar(out, new TerminalStyle(true, true, "-"), "spindle");

        bar.progress(50, 100, 1_000_000_000L);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[\u001b[32m" + "#".repeat(15) + "\u001b[0m" + ".".repeat(15) + "]");
    }

    @Test
    void elsewhereItPrintsAPlainLineAtEachQuarterAndAtTheEnd() {
        final ProgressBar bar = new ProgressBar(out, TerminalStyle.PLAIN_UTF8, "parallel");

        for (int completed = 0; completed <= 100; completed += 5) {
            bar.progress(completed, 100, completed * 10_000_000L);
        }
        bar.finish(100, 1_000_000_000L);

        final String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output).doesNotContain("\r", "\u001b");
        assertThat(output.lines()).hasSize(4);
        assertThat(output.lines().map(line -> line.substring(line.indexOf(']') + 1, line.indexOf('%') + 1).strip()))
                .containsExactly("25%", "50%", "75%", "100%");
    }
}
