package io.spindle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportFileTest {

    private static final RunEnvironment RUN =
            new RunEnvironment("OpenJDK 64-Bit Server VM 17.0.15", 2, Instant.parse("2025-01-31T12:00:00Z"), "benchmarks/run B");

    private static String section(String name, String body) {
        return ReportFile.openMarker(name) + "\n## " + name + "\n\n" + body + "\n" + ReportFile.closeMarker(name) + "\n";
    }

    @Test
    void aFirstRunWritesTheHeaderAndItsSections() {
        final String report = ReportFile.update("", RUN, Map.of("A", section("A", "first")));
        assertThat(report).startsWith("# Spindle benchmarks\n");
        assertThat(report).contains("Latest run: JDK OpenJDK 64-Bit Server VM 17.0.15 · nproc 2 · 2025-01-31 12:00 UTC"
                + " · `benchmarks/run B`");
        assertThat(report).endsWith(section("A", "first"));
    }

    @Test
    void rerunningOneClassReplacesOnlyItsSectionAndKeepsTheOrder() {
        final Map<String, String> first = new LinkedHashMap<>();
        first.put("A", section("A", "a, old run"));
        first.put("B", section("B", "b, old run"));
        first.put("C", section("C", "c, old run"));
        final String before = ReportFile.update("", RUN, first);

        final String after = ReportFile.update(before, RUN, Map.of("B", section("B", "b, new run")));

        assertThat(ReportFile.sections(after)).containsExactly(
                Map.entry("A", section("A", "a, old run")),
                Map.entry("B", section("B", "b, new run")),
                Map.entry("C", section("C", "c, old run")));
    }

    @Test
    void aClassRunForTheFirstTimeIsAppended() {
        final String before = ReportFile.update("", RUN, Map.of("A", section("A", "a")));
        final String after = ReportFile.update(before, RUN, Map.of("B", section("B", "b")));
        assertThat(ReportFile.sections(after).keySet()).containsExactly("A", "B");
    }

    @Test
    void notesWrittenByPeopleSurviveARerunAndStayAfterTheirSection() {
        final String notes = "<!-- notes:A -->\nWhat holds A back: the overflow path.\n<!-- /notes:A -->\n";
        final String before = ReportFile.update("", RUN, Map.of("A", section("A", "a, old run"), "B", section("B", "b")));
        final String edited = before.replace(section("A", "a, old run"), section("A", "a, old run") + "\n" + notes);

        final String after = ReportFile.update(edited, RUN, Map.of("A", section("A", "a, new run")));

        assertThat(after).contains(section("A", "a, new run") + "\n" + notes);
        assertThat(ReportFile.notes(after)).containsExactly(Map.entry("A", notes));
    }

    @Test
    void notesOfAClassWithNoSectionAreKeptAtTheEnd() {
        final String notes = "<!-- notes:Gone -->\nkept\n<!-- /notes:Gone -->\n";
        final String after = ReportFile.update("# old header\n\n" + notes, RUN, Map.of("A", section("A", "a")));
        assertThat(after).endsWith(section("A", "a") + "\n" + notes);
    }

    @Test
    void updatingIsStable() {
        final String once = ReportFile.update("", RUN, Map.of("A", section("A", "a")));
        assertThat(ReportFile.update(once, RUN, Map.of())).isEqualTo(once);
    }

    @Test
    void sectionsAreFoundOnlyBetweenMatchingMarkers() {
        final String text = "intro\n" + section("A", "a") + "<!-- section:B -->\nunterminated\n";
        assertThat(ReportFile.sections(text).keySet()).containsExactly("A");
    }
}
