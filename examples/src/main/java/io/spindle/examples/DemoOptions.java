package io.spindle.examples;

import java.util.Locale;

/**
 * The demo's command-line options, parsed by {@link #parse(String[])}.
 *
 * @param requests requests per scheduler, {@value #MIN_REQUESTS}..{@value #MAX_REQUESTS}
 * @param workers threads per scheduler, {@value #MIN_WORKERS}..{@value #MAX_WORKERS}
 * @param slowRatio the share of backend calls that block for
 *     {@link FanOutService#SLOW_CALL}, 0..1
 * @param help whether {@code --help} was given (the other values are then the defaults or
 *     whatever came before it)
 *
 * <p>Immutable, so thread-safe; {@link #parse} reads nothing but its arguments.
 */
public record DemoOptions(int requests, int workers, double slowRatio, boolean help) {

    /** Fewest requests per scheduler. */
    public static final int MIN_REQUESTS = 1;
    /** Most requests per scheduler: about an hour per scheduler at the default slow ratio on 2 cores. */
    public static final int MAX_REQUESTS = 10_000_000;
    /**
     * Requests per scheduler by default. At the default slow ratio (about 1 request in 125 has a
     * slow call) the blocked time is about a fifth of two threads' capacity: the demo shows a
     * service with occasional slow calls, not one drowning in them. About 21 s for the whole
     * demo with 2 workers (measured: 3 s on Spindle, 5 s on parallel, 3 s on the ForkJoinPool,
     * plus warm-ups and the build).
     */
    public static final int DEFAULT_REQUESTS = 10_000;
    /** Fewest threads per scheduler. */
    public static final int MIN_WORKERS = 1;
    /** Most threads per scheduler: a demo, not a load test. */
    public static final int MAX_WORKERS = 256;
    /** The share of slow backend calls by default: one in five hundred. */
    public static final double DEFAULT_SLOW_RATIO = 0.002;

    /** What {@code --help} prints. */
    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage: mvn -q -pl examples -am compile exec:java [-Dexec.args=\"OPTIONS\"]",
            "",
            "Runs a simulated request fan-out service (each request calls 4 backends through",
            "Mono.fromCallable(...).subscribeOn(scheduler).timeout(...)) on Spindle, on Reactor's",
            "Schedulers.newParallel and on a ForkJoinPool, and compares throughput and latency.",
            "",
            "Options:",
            String.format(Locale.ROOT, "  --requests N    requests per scheduler, %d..%d (default %d)",
                    MIN_REQUESTS, MAX_REQUESTS, DEFAULT_REQUESTS),
            String.format(Locale.ROOT, "  --workers N     threads per scheduler, %d..%d (default: available processors, capped at %d)",
                    MIN_WORKERS, MAX_WORKERS, MAX_WORKERS),
            String.format(Locale.ROOT, "  --slow-ratio X  share of backend calls that block for %d ms, 0..1 (default %s)",
                    FanOutService.SLOW_CALL.toMillis(), DEFAULT_SLOW_RATIO),
            "  --help          print this help and exit",
            "",
            "Colours are used on a terminal unless TERM=dumb or NO_COLOR is set.");

    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException naming the option, the value and the accepted range when
     *     one is out of range
     */
    public DemoOptions {
        if (requests < MIN_REQUESTS || requests > MAX_REQUESTS) {
            throw outOfRange("--requests", Integer.toString(requests), MIN_REQUESTS + ".." + MAX_REQUESTS);
        }
        if (workers < MIN_WORKERS || workers > MAX_WORKERS) {
            throw outOfRange("--workers", Integer.toString(workers), MIN_WORKERS + ".." + MAX_WORKERS);
        }
        if (!(slowRatio >= 0 && slowRatio <= 1)) {
            throw outOfRange("--slow-ratio", Double.toString(slowRatio), "0..1");
        }
    }

    /**
     * The defaults: {@value #DEFAULT_REQUESTS} requests, one worker per available processor
     * (at most {@value #MAX_WORKERS}), a slow ratio of {@value #DEFAULT_SLOW_RATIO}.
     *
     * @return the default options
     */
    public static DemoOptions defaults() {
        return new DemoOptions(DEFAULT_REQUESTS, Math.min(MAX_WORKERS, Runtime.getRuntime().availableProcessors()),
                DEFAULT_SLOW_RATIO, false);
    }

    /**
     * Parses {@code --requests N}, {@code --workers N}, {@code --slow-ratio X} and
     * {@code --help} ({@code -h}), each also as {@code --option=value}; a later option overrides
     * an earlier one. Whole numbers may contain underscores ({@code 10_000}). Pure: reads
     * nothing but its argument.
     *
     * @param args the command-line arguments
     * @return the options, the defaults for those not given
     * @throws IllegalArgumentException for an unknown option, a missing value, a value that is
     *     not a number or one out of range; the message names the option, the value and the
     *     accepted range
     */
    public static DemoOptions parse(String... args) {
        final DemoOptions defaults = defaults();
        int requests = defaults.requests;
        int workers = defaults.workers;
        double slowRatio = defaults.slowRatio;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String option = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            final String inlineValue = option.equals(arg) ? null : arg.substring(equals + 1);
            switch (option) {
                case "--help", "-h" -> help = true;
                case "--requests" -> {
                    final String value = inlineValue != null ? inlineValue : valueAfter(args, i++, option);
                    requests = wholeNumber(option, value, MIN_REQUESTS, MAX_REQUESTS);
                }
                case "--workers" -> {
                    final String value = inlineValue != null ? inlineValue : valueAfter(args, i++, option);
                    workers = wholeNumber(option, value, MIN_WORKERS, MAX_WORKERS);
                }
                case "--slow-ratio" -> {
                    final String value = inlineValue != null ? inlineValue : valueAfter(args, i++, option);
                    slowRatio = ratio(option, value);
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg
                        + "'; accepted: --requests N, --workers N, --slow-ratio X, --help");
            }
        }
        return new DemoOptions(requests, workers, slowRatio, help);
    }

    private static String valueAfter(String[] args, int index, String option) {
        if (index + 1 >= args.length) {
            throw new IllegalArgumentException(option + " needs a value: " + range(option));
        }
        return args[index + 1];
    }

    private static int wholeNumber(String option, String value, int min, int max) {
        final long parsed;
        try {
            parsed = Long.parseLong(value.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number in " + min + ".." + max
                    + ", was '" + value + "'", e);
        }
        if (parsed < min || parsed > max) {
            throw outOfRange(option, value, min + ".." + max);
        }
        return (int) parsed;
    }

    private static double ratio(String option, String value) {
        final double parsed;
        try {
            parsed = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number in 0..1, was '" + value + "'", e);
        }
        if (!(parsed >= 0 && parsed <= 1)) {
            throw outOfRange(option, value, "0..1");
        }
        return parsed;
    }

    private static String range(String option) {
        return switch (option) {
            case "--requests" -> "a whole number in " + MIN_REQUESTS + ".." + MAX_REQUESTS;
            case "--workers" -> "a whole number in " + MIN_WORKERS + ".." + MAX_WORKERS;
            default -> "a number in 0..1";
        };
    }

    private static IllegalArgumentException outOfRange(String option, String value, String range) {
        return new IllegalArgumentException(option + " must be in " + range + ", was " + value);
    }
}
