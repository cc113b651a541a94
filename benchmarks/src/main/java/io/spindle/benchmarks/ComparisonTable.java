package io.spindle.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One benchmark class's results as a Markdown table: a row per benchmark (per method, and per
 * value of every parameter that is not the subject), a column per subject, and a verdict.
 *
 * <p>Each cell reads {@code median ± error unit (r×)}, where {@code r} is the subject's
 * speed-up over the best <em>peer</em> of its row (every subject except Spindle's own and the
 * floors, such as the executor that runs tasks on the calling thread, which show how fast the
 * shape could possibly go but are no scheduler anyone would deploy), in the
 * score's direction: the best peer reads {@code 1.00×}, above that is better than every peer.
 * The verdict sets Spindle against that best peer and calls it a tie whenever their intervals
 * overlap, so a row whose error bars are wider than the gap names no winner.
 */
final class ComparisonTable {

    /**
     * One table row.
     *
     * @param labels the row's values for {@link ComparisonTable#labelHeaders}, in order
     * @param direction which way the row's scores are better
     * @param scores each subject's score; a subject that did not run in this row is absent
     */
    record Row(List<String> labels, Direction direction, Map<String, Score> scores) {
        Row {
            labels = List.copyOf(labels);
            Objects.requireNonNull(direction, "direction");
            // Insertion order kept: of two peers with equal medians, the first listed is the best.
            scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        }
    }

    /** A subject and its score. */
    record Entry(String subject, Score score) {}

    private final List<String> labelHeaders;
    private final List<String> subjects;
    private final Set<String> spindleSubjects;
    private final Set<String> floorSubjects;
    /** Spindle's subjects and the floors: every subject that is not a peer. */
    private final Set<String> notPeers;
    private final List<Row> rows;

    /**
     * @param labelHeaders headers of the leading label columns, such as {@code benchmark}
     * @param subjects the subject columns, in display order
     * @param spindleSubjects the subject names that are Spindle's own; every other is a peer
     * @param rows the rows, in display order
     */
    ComparisonTable(List<String> labelHeaders, List<String> subjects, Set<String> spindleSubjects, List<Row> rows) {
        this(labelHeaders, subjects, spindleSubjects, Set.of(), rows);
    }

    /**
     * @param labelHeaders headers of the leading label columns, such as {@code benchmark}
     * @param subjects the subject columns, in display order
     * @param spindleSubjects the subject names that are Spindle's own
     * @param floorSubjects subjects shown for reference but never counted as a peer
     * @param rows the rows, in display order
     */
    ComparisonTable(List<String> labelHeaders, List<String> subjects, Set<String> spindleSubjects,
            Set<String> floorSubjects, List<Row> rows) {
        this.labelHeaders = List.copyOf(labelHeaders);
        this.subjects = List.copyOf(subjects);
        this.spindleSubjects = Set.copyOf(spindleSubjects);
        this.floorSubjects = Set.copyOf(floorSubjects);
        final Set<String> notPeers = new HashSet<>(spindleSubjects);
        notPeers.addAll(floorSubjects);
        this.notPeers = Set.copyOf(notPeers);
        this.rows = List.copyOf(rows);
        for (Row row : this.rows) {
            if (row.labels().size() != this.labelHeaders.size()) {
                throw new IllegalArgumentException("row has " + row.labels().size() + " labels, expected "
                        + this.labelHeaders.size() + " for " + this.labelHeaders + ": " + row.labels());
            }
        }
    }

    /** The table in GitHub-flavoured Markdown, ending with a newline. */
    String toMarkdown() {
        final StringBuilder out = new StringBuilder();
        final List<String> header = new ArrayList<>(labelHeaders);
        for (String subject : subjects) {
            if (spindleSubjects.contains(subject) && !subject.equalsIgnoreCase("spindle")) {
                header.add(subject + " (Spindle)");
            } else if (floorSubjects.contains(subject)) {
                header.add(subject + " (floor)");
            } else {
                header.add(subject);
            }
        }
        header.add("verdict");
        appendLine(out, header);
        final List<String> rule = new ArrayList<>();
        labelHeaders.forEach(h -> rule.add(":--"));
        subjects.forEach(s -> rule.add("--:"));
        rule.add(":--");
        appendLine(out, rule);
        for (Row row : rows) {
            final List<String> cells = new ArrayList<>(row.labels());
            final Optional<Entry> bestPeer = bestPeer(row, notPeers);
            for (String subject : subjects) {
                cells.add(cell(row, row.scores().get(subject), bestPeer));
            }
            cells.add(verdict(row, spindleSubjects, notPeers));
            appendLine(out, cells);
        }
        return out.toString();
    }

    /**
     * The best-scoring peer of a row, judged on the median in the row's direction.
     *
     * @param notPeers the subjects that are not peers: Spindle's own and the floors
     * @return the best peer, or empty if the row has no peer score
     */
    static Optional<Entry> bestPeer(Row row, Set<String> notPeers) {
        Entry best = null;
        for (Map.Entry<String, Score> entry : row.scores().entrySet()) {
            if (notPeers.contains(entry.getKey())) {
                continue;
            }
            final Score score = entry.getValue();
            if (best == null || row.direction().isBetter(score.median(), best.score().median())) {
                best = new Entry(entry.getKey(), score);
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Spindle against the row's best peer: {@code "Spindle 1.23× better"},
     * {@code "peer 1.23× better (name)"}, or {@code "tie"} when their intervals overlap.
     */
    static String verdict(Row row, Set<String> spindleSubjects) {
        return verdict(row, spindleSubjects, spindleSubjects);
    }

    /** As {@link #verdict(Row, Set)}, with the floors left out of the peers too. */
    static String verdict(Row row, Set<String> spindleSubjects, Set<String> notPeers) {
        final Optional<Entry> spindle = row.scores().entrySet().stream()
                .filter(e -> spindleSubjects.contains(e.getKey()))
                .map(e -> new Entry(e.getKey(), e.getValue()))
                .findFirst();
        if (spindle.isEmpty()) {
            return "no Spindle result";
        }
        final Optional<Entry> peer = bestPeer(row, notPeers);
        if (peer.isEmpty()) {
            return "no peer result";
        }
        final Score ours = spindle.get().score();
        final Score theirs = peer.get().score();
        if (ours.overlaps(theirs)) {
            return "tie";
        }
        final double speedup = row.direction().speedup(ours.median(), theirs.median());
        if (Double.isNaN(speedup)) {
            return "n/a";
        }
        return speedup > 1
                ? "Spindle " + times(speedup) + " better"
                : "peer " + times(1 / speedup) + " better (" + peer.get().subject() + ")";
    }

    private static String cell(Row row, Score score, Optional<Entry> bestPeer) {
        if (score == null) {
            return "—";
        }
        if (bestPeer.isEmpty()) {
            return score.format();
        }
        final double speedup = row.direction().speedup(score.median(), bestPeer.get().score().median());
        return Double.isNaN(speedup) ? score.format() : score.format() + " (" + times(speedup) + ")";
    }

    static String times(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private static void appendLine(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String cell : cells) {
            out.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        out.append('\n');
    }
}
