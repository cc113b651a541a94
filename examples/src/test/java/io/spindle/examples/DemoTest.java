package io.spindle.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the README's demo small and reads its table as a person would. */
class DemoTest {

    private static final List<String> SCHEDULERS = List.of("spindle", "parallel", "forkjoin");

    @Test
    @Timeout(120)
    void theTableHasEveryColumnAndSaneNumbersForEveryScheduler() throws InterruptedException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        final List<RunResult> results = Demo.run(new DemoOptions(400, 2, 0.01, false), out, TerminalStyle.PLAIN_UTF8);

        final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        final int header = indexOfHeader(lines);
        assertThat(header).as("the table's header line in:%n%s", String.join("\n", lines)).isNotNegative();
        for (int r = 0; r < SCHEDULERS.size(); r++) {
            final List<String> cells = cells(lines.get(header + 1 + r));
            assertThat(cells).as("row %d: %s", r, cells).hasSize(ResultTable.HEADERS.size());
            assertThat(cells.get(0)).isEqualTo(SCHEDULERS.get(r));
            assertThat(number(cells.get(1))).as("%s requests/s", cells.get(0)).isPositive();
            final double p50 = number(cells.get(2));
            final double p99 = number(cells.get(3));
            final double p999 = number(cells.get(4));
            assertThat(p50).as("%s p50", cells.get(0)).isNotNegative();
            assertThat(p50).as("%s p50 <= p99", cells.get(0)).isLessThanOrEqualTo(p99);
            assertThat(p99).as("%s p99 <= p999", cells.get(0)).isLessThanOrEqualTo(p999);
            assertThat(number(cells.get(5))).as("%s timeouts", cells.get(0)).isNotNegative();
            if (r == 0) {
                for (int c = 6; c <= 8; c++) {
                    assertThat(number(cells.get(c))).as("spindle %s", ResultTable.HEADERS.get(c)).isNotNegative();
                }
            } else {
                assertThat(cells.subList(6, 9)).as("%s has no pool metrics", cells.get(0)).containsOnly("\u2014");
            }
        }
        assertThat(results).extracting(RunResult::scheduler).containsExactlyElementsOf(SCHEDULERS);
        assertThat(results).allSatisfy(result -> assertThat(result.requests()).isEqualTo(400));
        assertThat(results.get(0).pool()).isNotNull();
        assertThat(results.get(1).pool()).isNull();
        assertThat(results.get(2).pool()).isNull();
    }

    @Test
    @Timeout(120)
    void plainOutputHasAFinishedProgressLinePerSchedulerAndNoControlCode() throws InterruptedException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        Demo.run(new DemoOptions(50, 1, 0, false), out, TerminalStyle.PLAIN_UTF8);

        final String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output).doesNotContain("\r", "\u001b");
        for (String scheduler : SCHEDULERS) {
            assertThat(output).containsPattern("(?m)^  " + scheduler + " +\\[#{30}\\] 100%  +50/50 requests");
        }
    }

    private static int indexOfHeader(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (cells(lines.get(i)).equals(ResultTable.HEADERS)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> cells(String line) {
        return Arrays.asList(line.strip().split(" {2,}"));
    }

    private static double number(String cell) {
        return Double.parseDouble(cell.replace(",", ""));
    }
}
