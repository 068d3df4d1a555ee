package dev.mirrordj.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Root;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark report from a small real run ({@code bench/run-all.sh --smoke}): the benchmarks run
 * on harness pods through {@code mirrord run}, print their JSON lines, and the report shows them
 * with charts. What the numbers are is not checked here (speed lives in the benchmarks); that they
 * are there, and that the charts hold pictures, is.
 */
class BenchReportE2ETest {
  private static final Path REPO = Path.of("..", "..").toAbsolutePath().normalize();

  @TempDir Path out;

  @Test
  void aSmokeRunWritesResultLinesAndAReportWithChartsOfThem() throws Exception {
    Root.requireRoot();
    Path stdout = out.resolve("stdout.jsonl");
    Path stderr = out.resolve("stderr.log");
    Path report = out.resolve("report");
    Process run =
        new ProcessBuilder("bench/run-all.sh", "--smoke", "--out", report.toString())
            .directory(REPO.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    boolean ended = run.waitFor(480, TimeUnit.SECONDS);
    if (!ended) {
      run.descendants().forEach(ProcessHandle::destroy);
      run.destroy();
      run.waitFor(60, TimeUnit.SECONDS);
    }
    String log = Files.readString(stderr, StandardCharsets.UTF_8);
    assertTrue(ended, "run-all --smoke ended within 8 minutes\n" + tail(log));
    assertEquals(0, run.exitValue(), tail(log));

    // stdout: one JSON line per result, the B1 case of the smoke run for every variant
    List<String> lines = Files.readAllLines(stdout);
    Set<String> b1Variants = new HashSet<>();
    for (String line : lines) {
      JsonObject n = new JsonObject(line);
      assertTrue(n.getString("id") != null && n.getString("unit") != null, line);
      if (n.getString("id").equals("B1.steal-h1.c16.m50")) {
        assertTrue(n.getDouble("value", 0.0) > 0, "a measured B1 value: " + line);
        b1Variants.add(n.getString("variant"));
      }
    }
    assertEquals(Set.of("direct", "haproxy", "ours"), b1Variants, String.join("\n", lines));
    assertEquals(lines, Files.readAllLines(report.resolve("results.jsonl")));

    // the page: the machine, B1's rows with numbers, the benchmarks not run named as such
    String html = Files.readString(report.resolve("index.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("<th>cpus</th>") && html.contains("<th>kernel</th>"), html);
    Matcher b1Row =
        Pattern.compile(
                "<td>B1\\.steal-h1\\.c16\\.m50</td><td class=\"who\">ours[^<]*</td><td>req/s</td>"
                    + "<td>[0-9][0-9.]*</td>")
            .matcher(html);
    assertTrue(b1Row.find(), "a B1 row for ours with its req/s\n" + html);
    assertTrue(
        html.contains("<h2 id=\"B9\">B9: memory per connection</h2>")
            && html.indexOf("Not measured in this run.", html.indexOf("id=\"B9\"")) > 0,
        "B9 is not part of a smoke run and says so");

    // every chart the page shows exists and holds a picture, not a blank
    Matcher img = Pattern.compile("<img src=\"([^\"]+\\.png)\"").matcher(html);
    int charts = 0;
    while (img.find()) {
      Path png = report.resolve(img.group(1));
      BufferedImage image = ImageIO.read(png.toFile());
      assertTrue(
          image != null && image.getWidth() >= 400 && image.getHeight() >= 200, png.toString());
      assertTrue(distinctColours(image) >= 5, "a drawn chart, not a blank: " + png);
      charts++;
    }
    assertTrue(charts >= 2, "at least B1's and B5's value charts\n" + html);
    try (Stream<Path> files = Files.list(report)) {
      assertEquals(
          charts,
          files.filter(p -> p.toString().endsWith(".png")).count(),
          "every PNG written is shown on the page");
    }
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 4) {
      for (int x = 0; x < image.getWidth(); x += 4) {
        seen.add(image.getRGB(x, y));
        if (seen.size() >= 64) return seen.size();
      }
    }
    return seen.size();
  }

  private static String tail(String log) {
    return log.length() <= 6000 ? log : log.substring(log.length() - 6000);
  }
}
