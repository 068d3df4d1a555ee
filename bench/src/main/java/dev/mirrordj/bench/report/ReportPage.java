package dev.mirrordj.bench.report;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Renders index.html: the machine, the commit, and one section per benchmark. */
public final class ReportPage {
  private static final PebbleEngine ENGINE =
      new PebbleEngine.Builder().strictVariables(true).build();

  /** One row of a section's table, already formatted. */
  public record Row(
      String id,
      String who,
      String unit,
      String value,
      String p50,
      String p99,
      String ratios,
      long errors) {}

  /** A benchmark's section: measured (charts and rows) or not measured in this run. */
  public record Section(
      String id,
      String name,
      String workload,
      String goal,
      List<ChartFile> charts,
      List<Row> rows) {
    public boolean measured() {
      return !rows.isEmpty();
    }
  }

  private ReportPage() {}

  public static String render(
      String title,
      String commit,
      String generated,
      Map<String, String> machine,
      List<ResultLine> lines,
      List<ChartFile> charts,
      int skippedLines)
      throws IOException {
    List<Section> sections = new ArrayList<>();
    Set<String> known = new LinkedHashSet<>();
    for (Catalog.Entry e : Catalog.ENTRIES) {
      known.add(e.id());
      sections.add(section(e.id(), e.name(), e.workload(), e.goal(), lines, charts));
    }
    Set<String> others = new LinkedHashSet<>();
    for (ResultLine l : lines) if (!known.contains(l.benchmark())) others.add(l.benchmark());
    for (String o : others) sections.add(section(o, o, "", "", lines, charts));
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("title", title);
    ctx.put("commit", commit);
    ctx.put("generated", generated);
    ctx.put("machine", machine);
    ctx.put("sections", sections);
    ctx.put("resultCount", lines.size());
    ctx.put("skipped", skippedLines);
    PebbleTemplate t = ENGINE.getTemplate("dev/mirrordj/bench/report/index.peb");
    Writer w = new StringWriter();
    t.evaluate(w, ctx);
    return w.toString();
  }

  public static void write(Path file, String html) throws IOException {
    Files.writeString(file, html, StandardCharsets.UTF_8);
  }

  private static Section section(
      String id,
      String name,
      String workload,
      String goal,
      List<ResultLine> lines,
      List<ChartFile> charts) {
    List<Row> rows = new ArrayList<>();
    for (ResultLine l : lines) {
      if (!l.benchmark().equals(id)) continue;
      rows.add(
          new Row(
              l.id(),
              l.label(),
              l.unit(),
              format(l.value()),
              format(l.percentiles().get(50.0)),
              format(l.percentiles().get(99.0)),
              ratios(l),
              l.errors()));
    }
    List<ChartFile> mine = charts.stream().filter(c -> c.benchmark().equals(id)).toList();
    return new Section(id, name, workload, goal, mine, rows);
  }

  private static String ratios(ResultLine l) {
    List<String> parts = new ArrayList<>();
    if (l.ratioVsDirect() != null) parts.add(format(l.ratioVsDirect()) + "× direct");
    if (l.ratioVsHaproxy() != null) parts.add(format(l.ratioVsHaproxy()) + "× HAProxy");
    return String.join(", ", parts);
  }

  static String format(Double v) {
    if (v == null) return "";
    double a = Math.abs(v);
    if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
