package org.pvhconf.conform.report;

import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventPublisher;
import io.cucumber.plugin.event.Status;
import io.cucumber.plugin.event.TestCaseFinished;
import io.cucumber.plugin.event.TestRunFinished;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Cucumber plugin that writes the conformance matrix: for each pvh-abi.md section a feature cites,
 * how many scenarios checked it and how they ended, and the list of scenarios behind each cell. It
 * writes {@code conformance-matrix.md} and {@code conformance-matrix.html} into the directory given as
 * the plugin argument ({@code org.pvhconf.conform.report.ConformanceMatrix:target/conformance-matrix}).
 */
public final class ConformanceMatrix implements ConcurrentEventListener {

    private record Row(String area, String section, String scenario, Status status) {
    }

    private final Path dir;
    private final List<Row> rows = new ArrayList<>();

    public ConformanceMatrix(String dir) {
        this.dir = Path.of(dir);
    }

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        publisher.registerHandlerFor(TestCaseFinished.class, this::finished);
        publisher.registerHandlerFor(TestRunFinished.class, e -> write());
    }

    private synchronized void finished(TestCaseFinished e) {
        List<String> tags = e.getTestCase().getTags();
        String area = tags.stream().filter(t -> !t.startsWith("@spec-")).findFirst().orElse("@untagged").substring(1);
        List<String> sections = tags.stream().filter(t -> t.startsWith("@spec-")).map(t -> t.substring(6)).toList();
        for (String section : sections.isEmpty() ? List.of("(none)") : sections) {
            rows.add(new Row(area, section, e.getTestCase().getName(), e.getResult().getStatus()));
        }
    }

    /** Orders "2.1" before "10.3". */
    private static final Comparator<String> BY_SECTION = Comparator.comparing((String s) -> {
        String[] p = s.split("\\.");
        return p.length > 0 && p[0].matches("\\d+") ? Integer.parseInt(p[0]) : Integer.MAX_VALUE;
    }).thenComparing(s -> {
        String[] p = s.split("\\.");
        return p.length > 1 && p[1].matches("\\d+") ? Integer.parseInt(p[1]) : 0;
    }).thenComparing(Comparator.naturalOrder());

    private synchronized void write() {
        Map<String, List<Row>> bySection = new TreeMap<>(BY_SECTION);
        for (Row r : rows) {
            bySection.computeIfAbsent(r.section(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder md = new StringBuilder("# PVH ABI conformance matrix\n\n")
                .append("Each row is a section of pvh-abi.md that scenarios cite (`@spec-N.M`).\n\n")
                .append("| § | areas | scenarios | passed | failed | not run |\n|---|---|---|---|---|---|\n");
        StringBuilder html = new StringBuilder("<!doctype html><meta charset=utf-8><title>PVH ABI conformance matrix</title>"
                + "<style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:2px 6px}"
                + "table{border-collapse:collapse}.f{background:#fdd}.p{background:#dfd}</style>"
                + "<h1>PVH ABI conformance matrix</h1><table><tr><th>§</th><th>areas</th><th>scenarios</th>"
                + "<th>passed</th><th>failed</th><th>not run</th></tr>");
        for (Map.Entry<String, List<Row>> e : bySection.entrySet()) {
            List<Row> rs = e.getValue();
            long passed = rs.stream().filter(r -> r.status() == Status.PASSED).count();
            long failed = rs.stream().filter(r -> r.status() == Status.FAILED || r.status() == Status.UNDEFINED
                    || r.status() == Status.AMBIGUOUS || r.status() == Status.PENDING).count();
            long notRun = rs.size() - passed - failed;
            String areas = String.join(", ", rs.stream().map(Row::area).distinct().sorted().toList());
            md.append(String.format("| %s | %s | %d | %d | %d | %d |%n", e.getKey(), areas, rs.size(), passed, failed, notRun));
            html.append(String.format("<tr class=%s><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td></tr>",
                    failed > 0 ? "f" : "p", esc(e.getKey()), esc(areas), rs.size(), passed, failed, notRun));
        }
        html.append("</table><h2>Scenarios</h2><table><tr><th>§</th><th>scenario</th><th>status</th></tr>");
        md.append("\n## Scenarios\n\n| § | scenario | status |\n|---|---|---|\n");
        for (Map.Entry<String, List<Row>> e : bySection.entrySet()) {
            for (Row r : e.getValue()) {
                md.append(String.format("| %s | %s | %s |%n", r.section(), r.scenario().replace("|", "\\|"), r.status()));
                html.append(String.format("<tr class=%s><td>%s</td><td>%s</td><td>%s</td></tr>",
                        r.status() == Status.PASSED ? "p" : "f", esc(r.section()), esc(r.scenario()), r.status()));
            }
        }
        html.append("</table>");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("conformance-matrix.md"), md, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("conformance-matrix.html"), html, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
