package dev.mirrordj.layerbridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmarks of the layer (not a test: it asserts nothing and only runs when named): {@code mvn -B
 * -q -o -pl layer-bridge -am test -Dtest=LayerBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * then read layer-bridge/target/layer-benchmark.txt. Direct path and layer path run side by side in
 * one run; the ratios are what to compare (absolute numbers are machine noise). Bounded: a few
 * hundred process starts and some thousand operations, all on loopback.
 */
class LayerBenchmark {
  @TempDir Path work;

  @Test
  void run() throws Exception {
    StringBuilder report = new StringBuilder();
    try (LayerHarness h = new LayerHarness(work)) {
      h.handler.localPrefixes = List.of("/usr", "/lib", "/proc", "/sys", "/dev", "/etc");
      Map<String, String> noLayer = Map.of("LD_PRELOAD", "", "MIRRORD_LAYER_SOCK", "");
      // B8: startup
      for (List<String> cmd :
          List.of(
              List.of("/bin/true"),
              List.of("/usr/bin/python3", "-c", "pass"),
              List.of("java", "-version"))) {
        int runs = cmd.get(0).equals("java") ? 5 : 20;
        double plain = medianMillis(h, cmd, noLayer, runs);
        double layered = medianMillis(h, cmd, Map.of(), runs);
        line(report, "B8 startup " + String.join(" ", cmd), plain, layered, "ms");
      }
      // local file reads through hooked open/read/close, fast path (/usr) and asked path (work dir)
      Path bench = work.resolve("bench");
      Path src = work.resolve("bench.c");
      try (var in = LayerBenchmark.class.getResourceAsStream("/programs/bench.c")) {
        Files.copy(in, src);
      }
      if (new ProcessBuilder("gcc", "-O2", "-o", bench.toString(), src.toString())
              .inheritIO()
              .start()
              .waitFor()
          != 0) {
        throw new IllegalStateException("gcc failed");
      }
      Path localFile = work.resolve("local.txt");
      Files.writeString(localFile, "local bytes\n");
      String fast = "/usr/share/common-licenses/GPL-3";
      line(
          report,
          "local read (fast path " + fast + ")",
          op(h, bench, "read", fast, 5000, noLayer),
          op(h, bench, "read", fast, 5000, Map.of()),
          "ns/op");
      line(
          report,
          "local read (asks the proxy)",
          op(h, bench, "read", localFile.toString(), 5000, noLayer),
          op(h, bench, "read", localFile.toString(), 5000, Map.of()),
          "ns/op");
      // B6 remote small file open+read+close, compared with the same local file
      Path copy = work.resolve("hello-local.txt");
      Files.copy(h.remoteRoot.resolve("hello.txt"), copy);
      line(
          report,
          "B6 remote small file open+read+close vs local",
          op(h, bench, "read", copy.toString(), 2000, noLayer),
          op(h, bench, "read", "/mirrord-remote/hello.txt", 2000, Map.of()),
          "ns/op");
      // B7 DNS through the layer vs the local resolver on a hosts-file name
      line(
          report,
          "B7 getaddrinfo remote name vs local localhost",
          op(h, bench, "dns", "localhost", 2000, noLayer),
          op(h, bench, "dns", "echo.cluster.test", 2000, Map.of()),
          "ns/op");
    }
    Path out = Path.of("target", "layer-benchmark.txt");
    Files.writeString(out, report.toString());
    System.out.print(report);
  }

  private static void line(
      StringBuilder r, String what, double plain, double layered, String unit) {
    r.append(
        String.format(
            "%-60s plain %10.1f %s  layer %10.1f %s  ratio %.2f%n",
            what, plain, unit, layered, unit, layered / plain));
  }

  private static double medianMillis(
      LayerHarness h, List<String> cmd, Map<String, String> env, int runs) throws Exception {
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      LayerHarness.Result r = h.run(cmd, env);
      t[i] = (System.nanoTime() - t0) / 1e6;
      if (r.exit() != 0) throw new IllegalStateException(cmd + " failed: " + r.stderr());
    }
    Arrays.sort(t);
    return t[runs / 2];
  }

  private static double op(
      LayerHarness h, Path bench, String mode, String arg, int n, Map<String, String> env)
      throws Exception {
    List<Double> samples = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      LayerHarness.Result r = h.run(List.of(bench.toString(), mode, arg, Integer.toString(n)), env);
      if (r.exit() != 0)
        throw new IllegalStateException(mode + " " + arg + " failed: " + r.stderr());
      samples.add(Double.parseDouble(r.stdout().trim()));
    }
    samples.sort(Double::compare);
    return samples.get(1);
  }
}
