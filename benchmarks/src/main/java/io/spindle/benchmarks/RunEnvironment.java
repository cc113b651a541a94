package io.spindle.benchmarks;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Where and how a run happened, printed at the top of the report and in every section it
 * produced, since sections from different runs sit side by side.
 *
 * @param jdk the forked benchmark JVM's name and Java version
 * @param processors {@link Runtime#availableProcessors()} of the machine
 * @param finished when the run finished
 * @param command the command line that produced the run
 */
record RunEnvironment(String jdk, int processors, Instant finished, String command) {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    RunEnvironment {
        Objects.requireNonNull(jdk, "jdk");
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(command, "command");
    }

    /** {@code JDK OpenJDK 64-Bit Server VM 17.0.15 · nproc 2 · 2025-01-31 12:00 UTC}. */
    String describe() {
        return "JDK " + jdk + " · nproc " + processors + " · " + DATE.format(finished);
    }

    /** The command as Markdown inline code. */
    String commandAsCode() {
        // A backtick inside the command would end the code span early; a double fence allows it.
        return command.contains("`") ? "`` " + command + " ``" : "`" + command + "`";
    }
}
