package io.spindle.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The demo's result table: a row per scheduler with its throughput, latency percentiles, call
 * timeouts and, for Spindle, the pool's steals, parks and stalls (the peers show a dash there).
 * The best throughput and the lowest of each percentile are green when colour is allowed.
 */
final class ResultTable {

    /** The column headers, in order. */
    static final List<String> HEADERS = List.of(
            "scheduler", "requests/s", "p50 ms", "p99 ms", "p999 ms", "timeouts", "steals", "parks", "stalls");

    /** Between two columns, and before the first: at least two spaces, so a reader can split a row on them. */
    static final String COLUMN_GAP = "  ";

    private ResultTable() {}

    /**
     * Writes the table, then one line per peer comparing Spindle with it.
     *
     * @param results one per scheduler, in the order to show
     * @param style colours and the dash
     * @param out where to write
     */
    static void print(List<RunResult> results, TerminalStyle style, PrintStream out) {
        final List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (RunResult result : results) {
            rows.add(cells(result, style.dash()));
        }
        final int[] widths = new int[HEADERS.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        final RunResult fastest = best(results, RunResult::requestsPerSecond, true);
        final RunResult bestP50 = best(results, r -> r.latency().p50Nanos(), false);
        final RunResult bestP99 = best(results, r -> r.latency().p99Nanos(), false);
        final RunResult bestP999 = best(results, r -> r.latency().p999Nanos(), false);
        for (int r = 0; r < rows.size(); r++) {
            final List<String> row = rows.get(r);
            final StringBuilder line = new StringBuilder();
            for (int c = 0; c < widths.length; c++) {
                final String cell = c == 0 ? pad(row.get(c), widths[c], false) : pad(row.get(c), widths[c], true);
                final String painted;
                if (r == 0) {
                    painted = style.bold(cell);
                } else {
                    final RunResult result = results.get(r - 1);
                    painted = (c == 1 && result == fastest) || (c == 2 && result == bestP50)
                            || (c == 3 && result == bestP99) || (c == 4 && result == bestP999)
                            ? style.green(cell) : c == 0 ? style.cyan(cell) : cell;
                }
                line.append(COLUMN_GAP).append(painted);
            }
            out.println(line);
        }
        compareWithPeers(results, style, out);
    }

    /** The cells of one row, unpadded. */
    static List<String> cells(RunResult result, String dash) {
        final LatencySummary latency = result.latency();
        final PoolCounters pool = result.pool();
        return List.of(
                result.scheduler(),
                String.format(Locale.ROOT, "%,.0f", result.requestsPerSecond()),
                millis(latency.p50Nanos()),
                millis(latency.p99Nanos()),
                millis(latency.p999Nanos()),
                String.format(Locale.ROOT, "%,d", result.timeouts()),
                pool == null ? dash : String.format(Locale.ROOT, "%,d", pool.steals()),
                pool == null ? dash : String.format(Locale.ROOT, "%,d", pool.parks()),
                pool == null ? dash : String.format(Locale.ROOT, "%,d", pool.stalls()));
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%,.2f", nanos / 1e6);
    }

    private static String pad(String cell, int width, boolean right) {
        final String spaces = " ".repeat(width - cell.length());
        return right ? spaces + cell : cell + spaces;
    }

    private static RunResult best(List<RunResult> results, ToDoubleFunction<RunResult> value, boolean highest) {
        RunResult best = null;
        for (RunResult result : results) {
            if (best == null || (highest ? value.applyAsDouble(result) > value.applyAsDouble(best)
                    : value.applyAsDouble(result) < value.applyAsDouble(best))) {
                best = result;
            }
        }
        return best;
    }

    /** "spindle vs parallel: 1.8× the requests/s, p99 3.1× lower" for each peer, when Spindle ran. */
    private static void compareWithPeers(List<RunResult> results, TerminalStyle style, PrintStream out) {
        final RunResult spindle = results.stream().filter(r -> r.pool() != null).findFirst().orElse(null);
        if (spindle == null) {
            return;
        }
        out.println();
        for (RunResult peer : results) {
            if (peer == spindle) {
                continue;
            }
            final double throughput = spindle.requestsPerSecond() / peer.requestsPerSecond();
            final double p99 = (double) peer.latency().p99Nanos() / spindle.latency().p99Nanos();
            out.println(String.format(Locale.ROOT, "  %s vs %s: %s the requests/s, p99 %s",
                    spindle.scheduler(), peer.scheduler(), style.bold(String.format(Locale.ROOT, "%.2fx", throughput)),
                    p99 >= 1 ? style.bold(String.format(Locale.ROOT, "%.2fx lower", p99))
                            : style.bold(String.format(Locale.ROOT, "%.2fx higher", 1 / p99))));
        }
    }
}
