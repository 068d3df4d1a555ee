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
        report.append(
            String.format(
                "B7 getaddrinfo: local localhost %s ns/op, pod name via agent %s ns/op, ratio %.1f%n",
                plainDns, remoteDns, Double.parseDouble(remoteDns) / Double.parseDouble(plainDns)));
      }
    }
    Files.writeString(Path.of("target", "layer-on-pod-benchmark.txt"), report.toString());
    System.out.print(report);
  }

  private static final int BIG_BYTES = 64 << 20;

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
