package io.spindle.benchmarks;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the JMH suite with JMH's own command line (see {@code -h}) and then updates
 * BENCHMARKS.md with the section of every benchmark class that ran.
 *
 * <p>Two system properties, both set by {@code benchmarks/run}:
 * <ul>
 *   <li>{@value #REPORT_PROPERTY}: the report's path. Without it, BENCHMARKS.md at the root of
 *       the checkout this jar was built in (found from the jar's location), else in the
 *       working directory.
 *   <li>{@value #COMMAND_PROPERTY}: the command line to print in the report. Without it,
 *       {@code java -jar benchmarks.jar} and the arguments.
 * </ul>
 * Listing and help options ({@code -l}, {@code -lp}, {@code -h}, ...) behave as in JMH and leave
 * the report alone, as does a run that produced no result.
 */
public final class BenchmarkMain {

    static final String REPORT_PROPERTY = "spindle.report";
    static final String COMMAND_PROPERTY = "spindle.command";
    static final String REPORT_NAME = "BENCHMARKS.md";

    private static final Pattern SAFE_ARGUMENT = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    private BenchmarkMain() {}

    /**
     * Runs JMH, then writes the report.
     *
     * @param args JMH's command-line options
     */
    public static void main(String[] args) throws IOException {
        final CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line:");
            System.err.println(" " + e.getMessage());
            System.exit(1);
            return;
        }
        final Runner runner = new Runner(options);
        if (options.shouldHelp()) {
            options.showHelp();
            return;
        }
        if (options.shouldList()) {
            runner.list();
            return;
        }
        if (options.shouldListWithParams()) {
            runner.listWithParams(options);
            return;
        }
        if (options.shouldListProfilers()) {
            options.listProfilers();
            return;
        }
        if (options.shouldListResultFormats()) {
            options.listResultFormats();
            return;
        }

        final Collection<RunResult> results;
        try {
            results = runner.run();
        } catch (NoBenchmarksException e) {
            System.err.println("No benchmark matches " + options.getIncludes() + "; the report is unchanged.");
            System.exit(1);
            return;
        } catch (RunnerException e) {
            System.err.print("ERROR: ");
            e.printStackTrace(System.err);
            System.exit(1);
            return;
        }

        final Path report = reportPath();
        if (results.isEmpty()) {
            System.err.println("No benchmark produced a result; " + report + " is unchanged.");
            System.exit(1);
            return;
        }
        final RunEnvironment run = new RunEnvironment(jdk(results), Runtime.getRuntime().availableProcessors(),
                Instant.now(), command(args));
        final Map<String, String> sections = new LinkedHashMap<>();
        ReportSection.byClass(results).forEach((name, classResults) ->
                sections.put(name, ReportSection.render(classResults, run)));
        final String existing = Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8) : "";
        write(report, ReportFile.update(existing, run, sections));
        System.out.println();
        System.out.println("Updated " + String.join(", ", sections.keySet()) + " in " + report);
    }

    /** The forked JVM's name and version, as JMH recorded them. */
    private static String jdk(Collection<RunResult> results) {
        final var params = results.iterator().next().getParams();
        return params.getVmName() + " " + params.getJdkVersion();
    }

    static String command(String[] args) {
        final String given = System.getProperty(COMMAND_PROPERTY);
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        return Stream.concat(Stream.of("java", "-jar", "benchmarks.jar"), Stream.of(args).map(BenchmarkMain::shellQuote))
                .collect(Collectors.joining(" "));
    }

    static String shellQuote(String argument) {
        if (SAFE_ARGUMENT.matcher(argument).matches()) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    static Path reportPath() {
        final String given = System.getProperty(REPORT_PROPERTY);
        if (given != null && !given.isBlank()) {
            return Path.of(given).toAbsolutePath().normalize();
        }
        return checkoutRoot().orElse(Path.of("").toAbsolutePath()).resolve(REPORT_NAME);
    }

    /**
     * The root of the checkout this class was loaded from: the nearest ancestor of its jar or
     * class directory that holds both {@code pom.xml} and {@code benchmarks/pom.xml}.
     */
    private static Optional<Path> checkoutRoot() {
        final CodeSource source = BenchmarkMain.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return Optional.empty();
        }
        try {
            for (Path dir = Path.of(source.getLocation().toURI()).toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("benchmarks/pom.xml"))) {
                    return Optional.of(dir);
                }
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Replaces the report in one step, so an interrupted write never leaves half a file. */
    private static void write(Path report, String text) throws IOException {
        final Path dir = report.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: its owner-only permissions would carry over to the report.
        final Path temporary = dir.resolve("." + report.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
