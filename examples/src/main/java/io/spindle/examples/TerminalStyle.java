package io.spindle.examples;

import java.nio.charset.Charset;
import java.util.Map;

/**
 * How the demo writes to its output: whether it may redraw a progress line with a carriage
 * return, whether it may use ANSI colours, and which dash marks a missing value.
 *
 * @param interactive stdout is a terminal: progress redraws one line with {@code '\r'};
 *     otherwise progress is printed as plain lines and no control code is ever written
 * @param colour ANSI colours and bold are allowed (only ever true when {@code interactive})
 * @param dash what a table cell shows for a value a scheduler does not have: an em dash where the
 *     output encoding has one, else {@code "-"}
 *
 * <p>Immutable, so thread-safe.
 */
public record TerminalStyle(boolean interactive, boolean colour, String dash) {

    private static final String EM_DASH = "\u2014";
    private static final String RESET = "\u001b[0m";

    /**
     * Checks the combination.
     *
     * @throws IllegalArgumentException if {@code colour} is set without {@code interactive}
     * @throws NullPointerException if {@code dash} is null
     */
    public TerminalStyle {
        if (colour && !interactive) {
            throw new IllegalArgumentException("colour needs an interactive terminal");
        }
        if (dash.isEmpty()) {
            throw new IllegalArgumentException("dash must not be empty");
        }
    }

    /** Plain output for a file or a pipe, with an em dash (for a UTF-8 stream). */
    public static final TerminalStyle PLAIN_UTF8 = new TerminalStyle(false, false, EM_DASH);

    /**
     * The style for this process's stdout: interactive when {@link System#console()} is not
     * null; colour when interactive, {@code TERM} is not {@code dumb} and {@code NO_COLOR} is
     * unset or empty (<a href="https://no-color.org">no-color.org</a>); an em dash when stdout's
     * encoding can write one.
     *
     * @return the detected style
     */
    public static TerminalStyle detect() {
        return detect(System.console() != null, System.getenv(), stdoutCharset());
    }

    /**
     * The style for the given facts; {@link #detect()} with its inputs made explicit, for tests.
     *
     * @param console whether stdout is a terminal
     * @param environment the process environment ({@code TERM}, {@code NO_COLOR})
     * @param charset stdout's encoding
     * @return the style
     */
    static TerminalStyle detect(boolean console, Map<String, String> environment, Charset charset) {
        final String term = environment.get("TERM");
        final String noColor = environment.get("NO_COLOR");
        final boolean colour = console && !"dumb".equals(term) && (noColor == null || noColor.isEmpty());
        final String dash = charset.newEncoder().canEncode(EM_DASH) ? EM_DASH : "-";
        return new TerminalStyle(console, colour, dash);
    }

    /** The encoding {@code System.out} writes with on Java 17 (which has no {@code PrintStream.charset()}). */
    private static Charset stdoutCharset() {
        final String name = System.getProperty("sun.stdout.encoding");
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (IllegalArgumentException unknown) {
            return Charset.defaultCharset();
        }
    }

    /** {@code text} in bold, when colour is allowed. */
    String bold(String text) {
        return paint("1", text);
    }

    /** {@code text} in green, when colour is allowed. */
    String green(String text) {
        return paint("32", text);
    }

    /** {@code text} dimmed, when colour is allowed. */
    String dim(String text) {
        return paint("2", text);
    }

    /** {@code text} in cyan, when colour is allowed. */
    String cyan(String text) {
        return paint("36", text);
    }

    private String paint(String code, String text) {
        return colour ? "\u001b[" + code + "m" + text + RESET : text;
    }
}
