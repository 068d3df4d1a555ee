package dev.mirrordj.e2e.layer;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B6/B7 through the real agent on a harness pod (a benchmark, not a test: it asserts nothing and
 * runs only when named). B6 runs twice: the program built dynamically (the LD_PRELOAD layer) and
 * statically (auto mode gives it the seccomp layer), side by side in one run: {@code mvn -B -q -o
 * -DskipTests package && mvn -B -q -o -pl test/e2e -am test -Dtest=LayerOnPodBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; results in test/e2e/target/layer-on-pod-benchmark.txt.
 * Bounded: 2 x 500 operations on loopback and the harness's namespaces.
 */
class LayerOnPodBenchmark {
  @TempDir Path work;

  @Test
  void run() throws Exception {
    Root.requireRoot();
    Path src = work.resolve("bench.c");
    Files.writeString(
        src,
        String.join(
            "\n",
            "#include <fcntl.h>",
            "#include <netdb.h>",
            "#include <stdio.h>",
            "#include <stdlib.h>",
            "#include <string.h>",
            "#include <time.h>",
            "#include <unistd.h>",
            "static long long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }",
            "static char b[1 << 20];",
            "int main(int c, char **v) { int n = atoi(v[3]); long long t0 = now();",
            "  for (int i = 0; i < n; i++) {",
            "    if (!strcmp(v[1], \"read\")) { int fd = open(v[2], O_RDONLY); if (fd < 0) return 1; while (read(fd, b, 4096) > 0) {} close(fd); }",
            "    else if (!strcmp(v[1], \"big\")) { int fd = open(v[2], O_RDONLY); if (fd < 0) return 1; while (read(fd, b, sizeof b) > 0) {} close(fd); }",
            "    else { struct addrinfo h = { .ai_family = 2, .ai_socktype = 1 }, *r; if (getaddrinfo(v[2], \"80\", &h, &r)) return 1; freeaddrinfo(r); }",
            "  }",
            "  printf(\"%lld\\n\", (now() - t0) / n); return 0; }",
            ""));
    Path bin = gcc(src, work.resolve("bench"));
    Path staticBin = gcc(src, work.resolve("bench-static"), "-static");
    Files.writeString(work.resolve("local.txt"), "small file\n");
    byte[] big = new byte[BIG_BYTES];
    new java.util.Random(6).nextBytes(big);
    Files.write(work.resolve("local.bin"), big);
    StringBuilder report = new StringBuilder();
    List<String> json = new java.util.ArrayList<>();
    try (Cluster cluster = Cluster.start()) {
      Pod pod =
          cluster.addPod(
              PodSpec.named("bench")
                  .file("/app/small.txt", "small file\n")
                  .file("/app/big.bin", big, 0644));
      try (AgentProcess agent =
          AgentProcess.start(
              MirrordRun.FAT_JAR,
              Duration.ofSeconds(60),
              "--target-pid",
              Long.toString(pod.pid()),
              "--idle-ttl",
              "600")) {
        Path cfg = work.resolve("bench.json");
        Files.writeString(cfg, "{\"connect_tcp\": \"127.0.0.1:" + agent.port() + "\"}");
        String plainRead = plain(bin, "read", work.resolve("local.txt").toString(), "500");
        String remoteRead =
            MirrordRun.run(work, cfg, bin.toString(), "read", "/app/small.txt", "500").out().trim();
        String seccompRead =
            MirrordRun.run(work, cfg, staticBin.toString(), "read", "/app/small.txt", "500")
                .out()
                .trim();
        String plainBig = plain(bin, "big", work.resolve("local.bin").toString(), "5");
        String remoteBig =
            MirrordRun.run(work, cfg, bin.toString(), "big", "/app/big.bin", "5").out().trim();
        String seccompBig =
            MirrordRun.run(work, cfg, staticBin.toString(), "big", "/app/big.bin", "5")
                .out()
                .trim();
        String plainDns = plain(bin, "dns", "localhost", "500");
        String remoteDns =
            MirrordRun.run(work, cfg, bin.toString(), "dns", Cluster.ECHO_NAME, "500").out().trim();
        report.append(
            String.format(
                "B6 small file open+read+close: local %s ns/op, pod via agent %s ns/op, ratio %.1f%n",
                plainRead,
                remoteRead,
                Double.parseDouble(remoteRead) / Double.parseDouble(plainRead)));
        report.append(
            String.format(
                "B6 small file open+read+close, seccomp layer (static build): %s ns/op, ratio to"
                    + " local %.1f, to the LD_PRELOAD layer %.2f%n",
                seccompRead,
                Double.parseDouble(seccompRead) / Double.parseDouble(plainRead),
                Double.parseDouble(seccompRead) / Double.parseDouble(remoteRead)));
        report.append(
            String.format(
                "B6 64 MiB file, 1 MiB reads: local %.0f MiB/s, LD_PRELOAD layer %.0f MiB/s,"
                    + " seccomp layer %.0f MiB/s%n",
                mibPerSecond(plainBig), mibPerSecond(remoteBig), mibPerSecond(seccompBig)));
        String small = "B6.open-read-close-4KiB";
        json.add(line(small, "direct", null, "us", micros(plainRead)));
        json.add(line(small, "ours", "ld-preload", "us", micros(remoteRead)));
        json.add(line(small, "ours", "seccomp", "us", micros(seccompRead)));
        String bigRead = "B6.read-64MiB-1MiB-blocks";
        json.add(line(bigRead, "direct", null, "MiB/s", mibPerSecond(plainBig)));
        json.add(line(bigRead, "ours", "ld-preload", "MiB/s", mibPerSecond(remoteBig)));
        json.add(line(bigRead, "ours", "seccomp", "MiB/s", mibPerSecond(seccompBig)));
        json.add(line("B7.getaddrinfo", "direct", null, "us", micros(plainDns)));
        json.add(line("B7.getaddrinfo", "ours", "ld-preload", "us", micros(remoteDns)));
        report.append(
            String.format(
                "B7 getaddrinfo: local localhost %s ns/op, pod name via agent %s ns/op, ratio %.1f%n",
                plainDns, remoteDns, Double.parseDouble(remoteDns) / Double.parseDouble(plainDns)));
        startup(cfg, report, json);
      }
    }
    Files.writeString(Path.of("target", "layer-on-pod-benchmark.txt"), report.toString());
    Files.writeString(
        Path.of("target", "layer-on-pod-benchmark.jsonl"), String.join("\n", json) + "\n");
    System.out.print(report);
  }

  private static final int BIG_BYTES = 64 << 20;

  /** The programs B8 starts, as hyperfine runs them (no shell), each with and without the layer. */
  private static final List<String> STARTED = List.of("/bin/true", "python3 -c pass");

  /**
   * B8: hyperfine's mean start of each program, plain and as a child of a program under run (the
   * layer loaded, the default fs mode), and run itself until its program has run ({@code true}: the
   * session's whole start, agent already up).
   */
  private void startup(Path cfg, StringBuilder report, List<String> json) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(List.of("hyperfine", "-N", "-w", "3", "-r", "20"));
    Path plainJson = work.resolve("b8-plain.json");
    Path layerJson = work.resolve("b8-layer.json");
    List<String> plainCmd = new java.util.ArrayList<>(args);
    plainCmd.addAll(List.of("--export-json", plainJson.toString()));
    plainCmd.addAll(STARTED);
    if (new ProcessBuilder(plainCmd)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("b8-plain.out").toFile())
            .start()
            .waitFor()
        != 0) {
      throw new IllegalStateException("hyperfine failed (scripts/install-deps.sh --bench)");
    }
    List<String> layerCmd = new java.util.ArrayList<>(args);
    layerCmd.addAll(List.of("--export-json", layerJson.toString()));
    layerCmd.addAll(STARTED);
    MirrordRun.Result r = MirrordRun.run(work, cfg, layerCmd.toArray(String[]::new));
    if (r.exit() != 0) throw new IllegalStateException("hyperfine under run: " + r.err());
    io.vertx.core.json.JsonArray plain =
        new io.vertx.core.json.JsonObject(Files.readString(plainJson)).getJsonArray("results");
    io.vertx.core.json.JsonArray layered =
        new io.vertx.core.json.JsonObject(Files.readString(layerJson)).getJsonArray("results");
    for (int i = 0; i < STARTED.size(); i++) {
      double p = plain.getJsonObject(i).getDouble("mean") * 1000;
      double l = layered.getJsonObject(i).getDouble("mean") * 1000;
      String id =
          "B8.exec-" + STARTED.get(i).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
      json.add(line(id, "direct", null, "ms", p));
      json.add(line(id, "ours", "ld-preload", "ms", l));
      report.append(
          String.format(
              java.util.Locale.ROOT,
              "B8 %s: plain %.2f ms, under the layer %.2f ms (+%.2f ms, %.2fx)%n",
              STARTED.get(i),
              p,
              l,
              l - p,
              l / p));
    }
    List<Double> sessions = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      MirrordRun.Result t = MirrordRun.run(work, cfg, "true");
      if (t.exit() != 0) throw new IllegalStateException("run true: " + t.err());
      sessions.add((System.nanoTime() - t0) / 1e6);
    }
    java.util.Collections.sort(sessions);
    double median = sessions.get(sessions.size() / 2);
    json.add(line("B8.run-to-program-end", "ours", "ld-preload", "ms", median));
    report.append(
        String.format(
            java.util.Locale.ROOT,
            "B8 mirrord run -- true (agent up): median %.0f ms of 5%n",
            median));
  }

  private static double micros(String nanos) {
    return Double.parseDouble(nanos) / 1000.0;
  }

  /** One result line in the format the benchmark report reads (B7's direct line is localhost). */
  private static String line(String id, String variant, String build, String unit, double value) {
    return String.format(
        java.util.Locale.ROOT,
        "{\"id\": \"%s\", \"variant\": \"%s\", \"build\": %s, \"unit\": \"%s\", \"value\": %.1f,"
            + " \"cpus\": %d, \"kernel\": \"%s\", \"java\": \"%s\"}",
        id,
        variant,
        build == null ? "null" : "\"" + build + "\"",
        unit,
        value,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.version"),
        System.getProperty("java.version"));
  }

  private static double mibPerSecond(String nanosPerFile) {
    return (BIG_BYTES / (double) (1 << 20)) / (Double.parseDouble(nanosPerFile) / 1e9);
  }

  private static Path gcc(Path src, Path out, String... flags) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("gcc", "-O2"));
    cmd.addAll(List.of(flags));
    cmd.addAll(List.of("-o", out.toString(), src.toString()));
    if (new ProcessBuilder(cmd).inheritIO().start().waitFor() != 0) {
      throw new IllegalStateException("gcc failed: " + cmd);
    }
    return out;
  }

  private static String plain(Path bin, String mode, String arg, String times) throws Exception {
    Process p =
        new ProcessBuilder(bin.toString(), mode, arg, times).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return out;
  }
}
