package dev.mirrordj.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report generator on result lines of both formats the benchmarks print. */
class ReportMainTest {
  @TempDir Path dir;

  private Path results(String... lines) throws IOException {
    Path f = dir.resolve("results.jsonl");
    Files.write(f, List.of(lines));
    return f;
  }

  @Test
  void productAndBreakdownLinesBecomeSectionsChartsAndRows() throws Exception {
    Path f =
        results(
            "[bench/product 10:00:00] a log line that is not a result",
            "{\"id\": \"B1.steal-h1.c16.m50\", \"variant\": \"direct\", \"build\": null,"
                + " \"unit\": \"req/s\", \"value\": 15000, \"p50\": 700, \"p99\": 3000,"
                + " \"errors\": 0, \"kernel\": \"6.1\", \"cpus\": 2}",
            "{\"id\": \"B1.steal-h1.c16.m50\", \"variant\": \"ours\", \"build\": \"after\","
                + " \"unit\": \"req/s\", \"value\": 5000, \"p50\": 2000, \"p99\": 9000,"
                + " \"errors\": 0, \"ratio_vs_direct\": 0.33}",
            "{\"id\": \"B6\", \"variant\": \"read-1MiB\", \"unit\": \"MiB/s\", \"P\": 900,"
                + " \"S\": 300, \"ratio_S_P\": 0.33}",
            "{\"id\": \"B9.idle-rss-per-conn@1000\", \"variant\": \"ours\", \"unit\": \"KiB\","
                + " \"value\": 6.5}",
            "{\"id\": \"B9.idle-rss-per-conn@5000\", \"variant\": \"ours\", \"unit\": \"KiB\","
                + " \"value\": 5.9}");
    Path index = ReportMain.run(new String[] {"--out", dir.resolve("r").toString(), f.toString()});
    String html = Files.readString(index);
    assertTrue(html.contains("1 non-result lines skipped"), html);
    assertTrue(
        html.contains("<td>B1.steal-h1.c16.m50</td><td class=\"who\">ours after</td>"), html);
    assertTrue(html.contains("0.330× direct"), html);
    // the agent breakdown's P and S side by side become a direct and an agent row
    assertTrue(html.contains("<td>B6.read-1MiB</td><td class=\"who\">agent</td>"), html);
    assertTrue(html.contains("<td>B6.read-1MiB</td><td class=\"who\">direct</td>"), html);
    assertTrue(
        html.indexOf("Not measured in this run.", html.indexOf("id=\"B2\"")) > 0,
        "B2 has no lines");
    for (String png :
        List.of(
            "b1-req-s-values.png",
            "b1-steal-h1-c16-m50-latency.png",
            "b6-mib-s-values.png",
            "b9-idle-rss-per-conn-sweep.png")) {
      assertTrue(Files.size(dir.resolve("r").resolve(png)) > 5000, png);
      assertTrue(html.contains("src=\"" + png + "\""), png);
    }
  }

  @Test
  void aBrokenResultLineNamesItsFileAndLine() throws Exception {
    Path f = results("{\"id\": \"B1.x\", \"value\": 1}", "{\"id\": ");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                ReportMain.run(new String[] {"--out", dir.resolve("r").toString(), f.toString()}));
    assertTrue(e.getMessage().startsWith(f + ":2: not a result line"), e.getMessage());
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertEquals(
        "--out DIR is required",
        assertThrows(ReportMain.UsageException.class, () -> ReportMain.run(new String[] {"x"}))
            .getMessage());
    assertEquals(
        "cannot read results file /nonexistent.jsonl",
        assertThrows(
                ReportMain.UsageException.class,
                () -> ReportMain.run(new String[] {"--out", "/tmp/x", "/nonexistent.jsonl"}))
            .getMessage());
  }
}
