package dev.mirrordj.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Root;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pieces of {@code bench/product/run.sh}: its report turns per-round samples into result lines
 * with ratios paired by round, and a tiny real run (one round of one second through {@code mirrord
 * run}) prints a well-formed line for every variant, with the matched requests really answered by
 * the program under the layer. Nothing here asserts a speed: speed is the benchmark's business.
 */
class ProductBenchE2ETest {
  static final List<String> KEYS =
      List.of(
          "id",
          "variant",
          "build",
          "unit",
          "value",
          "p50",
          "p99",
          "errors",
          "rounds",
          "spread",
          "ratio_vs_direct",
          "ratio_vs_haproxy",
          "kernel",
          "java",
          "cpus",
          "commit");

  @TempDir Path work;

  @Test
  void reportPairsRatiosByRoundAndTakesMedians() throws Exception {
    Path meta = work.resolve("meta.tsv");
    Files.writeString(
        meta,
        String.join(
            "\n",
            "kernel\t6.1-test",
            "java\topenjdk 17",
            "cpus\t2",
            "bench_commit\tabc",
            "load_start\t1.0 1.0 1.0",
            "build\tbefore\tc0ffee\tlayer0\t/x/before.jar",
            "build\tafter\tbeef\tlayer1\t/x/after.jar",
            "load_end\t2.0 2.0 2.0",
            ""));
    Path samples = work.resolve("samples.tsv");
    Files.writeString(
        samples,
        String.join(
            "\n",
            "B1.x\tdirect\t\t1\treq/s\t100\t10\t90\t0\t",
            "B1.x\thaproxy\t\t1\treq/s\t50\t20\t80\t0\t0.5",
            "B1.x\tours\tbefore\t1\treq/s\t25\t30\t70\t1\t0.49",
            "B1.x\tours\tafter\t1\treq/s\t50\t40\t60\t0\t0.51",
            "B1.x\tdirect\t\t2\treq/s\t200\t12\t92\t0\t",
            "B1.x\thaproxy\t\t2\treq/s\t100\t22\t82\t0\t0.5",
            "B1.x\tours\tbefore\t2\treq/s\t100\t32\t72\t2\t0.51",
            "B1.x\tours\tafter\t2\treq/s\t50\t42\t62\t0\t0.5",
            "B5.y\tours\tafter\t1\tGbit/s\t\t\t\t1\t",
            ""));
    List<JsonObject> lines = report(meta, samples);
    assertEquals(5, lines.size(), "one line per (id, variant, build): " + lines);
    lines.forEach(l -> KEYS.forEach(k -> assertTrue(l.containsKey(k), k + " in " + l)));

    JsonObject direct = find(lines, "B1.x", "direct", null);
    assertEquals(150.0, direct.getDouble("value"), "median of 100 and 200");
    assertNull(direct.getValue("ratio_vs_direct"));
    assertEquals("abc", direct.getString("commit"), "direct rows carry the bench's commit");

    JsonObject before = find(lines, "B1.x", "ours", "before");
    assertEquals(0.375, before.getDouble("ratio_vs_direct"), "median of 25/100 and 100/200");
    assertEquals(0.75, before.getDouble("ratio_vs_haproxy"), "median of 25/50 and 100/100");
    assertEquals(3, before.getInteger("errors"), "errors add up over rounds");
    assertEquals(new JsonArray(List.of(25, 100)), before.getJsonArray("spread"));
    assertEquals("c0ffee", before.getString("commit"));
    assertEquals(0.5, before.getDouble("matched_share"));
    assertFalse(before.containsKey("ratio_vs_first_build"), "the first build is the reference");

    JsonObject after = find(lines, "B1.x", "ours", "after");
    assertEquals(1.25, after.getDouble("ratio_vs_first_build"), "median of 50/25 and 50/100");
    assertEquals("layer1", after.getString("layer_sha"));

    JsonObject failed = find(lines, "B5.y", "ours", "after");
    assertNull(failed.getValue("value"), "a failed measurement has no value");
    assertEquals(0, failed.getInteger("rounds"));
    assertEquals(1, failed.getInteger("errors"));
  }

  @Test
  void tinyRunThroughMirrordRunPrintsALineForEveryVariant() throws Exception {
    Root.requireRoot();
    Path script = repoFile("bench/product/run.sh");
    Path jar = repoFile("cli/target/mirrord-fat.jar");
    Path out = work.resolve("out.jsonl");
    Path err = work.resolve("err.txt");
    Process p =
        new ProcessBuilder(
                script.toString(),
                "--jar",
                "this=" + jar,
                "--rounds",
                "1",
                "--seconds",
                "1",
                "--mixes",
                "100",
                "--conns",
                "16",
                "--streams",
                "1",
                "--no-pingpong",
                "--time-limit",
                "900")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(1000, TimeUnit.SECONDS)) {
      p.destroy(); // the script's own trap removes what it created
      p.waitFor(60, TimeUnit.SECONDS);
      throw new AssertionError("bench/product/run.sh did not end\n" + Files.readString(err));
    }
    String log = Files.readString(err);
    assertEquals(0, p.exitValue(), log);
    List<JsonObject> lines = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      lines.add(new JsonObject(line));
    }
    lines.forEach(l -> KEYS.forEach(k -> assertTrue(l.containsKey(k), k + " in " + l)));
    String b1 = "B1.steal-h1.c16.m100";
    assertTrue(find(lines, b1, "direct", null).getDouble("value") > 0, log);
    assertTrue(find(lines, b1, "haproxy", null).getDouble("matched_share") > 0.9, log);
    JsonObject ours = find(lines, b1, "ours", "this");
    assertTrue(
        ours.getDouble("matched_share") > 0.9,
        "matched requests are answered by the program under run: " + ours + "\n" + log);
    assertTrue(ours.getValue("ratio_vs_haproxy") != null, ours.toString());
    JsonObject tunnel = find(lines, "B5.tunnel-iperf3.P1", "ours", "this");
    assertTrue(
        tunnel.getDouble("value") > 0, "iperf3 under run moved bytes: " + tunnel + "\n" + log);
    assertTrue(log.contains("summary"), "a human summary ends the log:\n" + log);
  }

  private static JsonObject find(List<JsonObject> lines, String id, String variant, String build) {
    return lines.stream()
        .filter(
            l ->
                id.equals(l.getString("id"))
                    && variant.equals(l.getString("variant"))
                    && java.util.Objects.equals(build, l.getString("build")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line " + id + "/" + variant + "/" + build));
  }

  private static List<JsonObject> report(Path meta, Path samples) throws Exception {
    Process p =
        new ProcessBuilder(
                "python3", repoFile("bench/product/report.py").toString(), "" + meta, "" + samples)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<JsonObject> lines = new ArrayList<>();
    out.lines().forEach(l -> lines.add(new JsonObject(l)));
    return lines;
  }

  /** A file of the repository, found from the test's working directory upwards. */
  private static Path repoFile(String relative) throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IOException(relative + " not found above " + Path.of("").toAbsolutePath());
  }
}
