package io.spindle.examples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A run's progress on the demo's output. On a terminal it redraws one line with a carriage
 * return; elsewhere (a file, a pipe, a CI log) it prints a plain line at each quarter and writes
 * no control code at all.
 *
 * <p>Not thread-safe: {@link FanOutService#run} calls it from one thread.
 */
final class ProgressBar implements FanOutService.ProgressListener {

    private static final int WIDTH = 30;
    private static final int PLAIN_STEPS = 4;

    private final PrintStream out;
    private final TerminalStyle style;
    private final String label;
    /** Quarters already printed in plain mode. */
    private int printedSteps;
    /** Length of the last line drawn in terminal mode, to blank what a shorter line leaves. */
    private int lastLength;

    ProgressBar(PrintStream out, TerminalStyle style, String label) {
        this.out = out;
        this.style = style;
        this.label = label;
    }

    @Override
    public void progress(int completed, int total, long elapsedNanos) {
        if (style.interactive()) {
            draw(completed, total, elapsedNanos);
        } else {
            final int step = (int) ((long) completed * PLAIN_STEPS / total);
            if (step > printedSteps && step < PLAIN_STEPS) {
                printedSteps = step;
                out.println(line(completed, total, elapsedNanos));
            }
        }
    }

    /** The final state, and the end of the line. */
    void finish(int total, long elapsedNanos) {
        if (style.interactive()) {
            draw(total, total, elapsedNanos);
            out.println();
        } else {
            out.println(line(total, total, elapsedNanos));
        }
        out.flush();
    }

    private void draw(int completed, int total, long elapsedNanos) {
        final String line = line(completed, total, elapsedNanos);
        final int padding = Math.max(0, lastLength - line.length());
        lastLength = line.length();
        out.print("\r" + paint(line, completed, total) + " ".repeat(padding));
        out.flush();
    }

    private String line(int completed, int total, long elapsedNanos) {
        final double seconds = elapsedNanos / 1e9;
        final double rate = seconds > 0 ? completed / seconds : 0;
        return String.format(Locale.ROOT, "  %-9s %s %3d%%  %,9d/%,d requests  %,8.0f req/s  %5.1f s",
                label, bar(completed, total), (int) ((long) completed * 100 / total), completed, total, rate, seconds);
    }

    private static String bar(int completed, int total) {
        final int filled = (int) ((long) completed * WIDTH / total);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
    }

    /** Colours the filled part of the bar, when allowed; the text around it is unchanged. */
    private String paint(String line, int completed, int total) {
        if (!style.colour()) {
            return line;
        }
        final int open = line.indexOf('[');
        final int filled = (int) ((long) completed * WIDTH / total);
        return line.substring(0, open + 1) + style.green(line.substring(open + 1, open + 1 + filled))
                + line.substring(open + 1 + filled);
    }
}
