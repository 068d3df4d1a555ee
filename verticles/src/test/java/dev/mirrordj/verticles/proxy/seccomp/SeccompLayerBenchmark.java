package dev.mirrordj.verticles.proxy.seccomp;

import dev.mirrordj.layerbridge.SeccompLauncher;
import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seccomp layer's cost (a benchmark, not a test: it asserts nothing and runs only when named):
 * {@code CI=true mvn -B -o -pl verticles -am verify -Dtest=SeccompLayerBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}. Per intercepted call (open+close in a static C loop):
 * direct, answered on the receive thread (a surely-local path), answered through a Vert.x context
 * (the proxy handler's path, here answering "local"), and a pod file served as a memfd; then the
 * start-up of a static Go program with and without the layer. Results go to stdout and
 * target/seccomp-layer-benchmark.txt. Bounded: a few thousand calls and 2 x 30 program starts.
 */
class SeccompLayerBenchmark {
  private static final int CALLS = 3000;
  private static final int STARTS = 30;

  @TempDir Path work;

  static final String LOOP =
      String.join(
          "\n",
          "#include <fcntl.h>",
          "#include <stdio.h>",
          "#include <stdlib.h>",
          "#include <time.h>",
          "#include <unistd.h>",
          "static long long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);"
              + " return t.tv_sec * 1000000000LL + t.tv_nsec; }",
          "int main(int c, char **v) {",
          "  int n = atoi(v[2]);",
          "  long long t0 = now();",
          "  for (int i = 0; i < n; i++) { int fd = open(v[1], O_RDONLY); if (fd < 0) { perror(v[1]);"
              + " return 1; } close(fd); }",
          "  printf(\"%.2f\\n\", (now() - t0) / 1000.0 / n);",
          "  return 0;",
          "}",
          "");

  static final String HELLO =
      "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"hello\") }\n";

  /** Answers like the proxy would for a path it keeps local or a small pod file. */
  static final class ContextCalls implements SupervisedCalls {
    final Context context;

    ContextCalls(Vertx vertx) {
      context = vertx.getOrCreateContext();
    }

    @Override
    public Future<LayerReply> handle(int pid, LayerRequest request) {
      Promise<LayerReply> p = Promise.promise();
      context.runOnContext(
          v -> {
            if (request instanceof LayerRequest.Open o && o.path().startsWith("/pod/"))
              p.complete(
                  new LayerReply.FileContent(
                      false,
                      new FileMeta(1, 1, 1, 0100644, 0, 0, 4, 4096, 8, 0, 0, 0, 0, 0, 0),
                      "pod\n".getBytes(StandardCharsets.UTF_8)));
            else p.complete(LayerReply.LOCAL);
          });
      return p.future();
    }

    @Override
    public Future<LayerReply.Hello> hello(int pid) {
      return Future.succeededFuture(new LayerReply.Hello(0, List.of(), List.of()));
    }

    @Override
    public Future<byte[]> podFile(String path) {
      return Future.failedFuture("none");
    }

    @Override
    public boolean remoteDns() {
      return false;
    }

    @Override
    public boolean remoteHostname() {
      return false;
    }

    @Override
    public List<String> localPrefixes() {
      return List.of("/usr", "/lib", "/proc", "/etc");
    }
  }

  @Test
  void run() throws Exception {
    Path launcher = SeccompLauncher.extract(work.resolve("cache"));
    SeccompLauncher.Support support = SeccompLauncher.probe(launcher);
    if (!support.usable()) {
      System.out.println("seccomp layer benchmark skipped: " + support.detail());
      return;
    }
    Path loop = compile();
    Path hello = goBuild();
    Path localFile = Files.writeString(work.resolve("local.txt"), "local\n");
    Vertx vertx = Vertx.vertx();
    SeccompSupervisor s =
        SeccompSupervisor.start(
            work.resolve("s.sock"),
            work.resolve("seccomp"),
            new ContextCalls(vertx),
            new SeccompSupervisor.Observer() {
              public void programStarted() {}

              public void programGone() {}
            });
    StringBuilder report = new StringBuilder();
    try {
      List<String> viaLayer = List.of(launcher.toString(), s.socketPath().toString());
      for (int round = 1; round <= 2; round++) {
        report.append(
            String.format(
                "round %d, open+close per call (us): direct %s | layer, surely-local path %s |"
                    + " layer, through the proxy's context %s | layer, pod file as memfd %s%n",
                round,
                output(List.of(), loop, "/usr/lib/os-release"),
                output(viaLayer, loop, "/usr/lib/os-release"),
                output(viaLayer, loop, localFile.toString()),
                output(viaLayer, loop, "/pod/file")));
      }
      double[] plain = starts(List.of(), hello);
      double[] layered = starts(viaLayer, hello);
      report.append(
          String.format(
              "static Go hello start-up (ms, %d runs interleaved): direct median %.2f min %.2f |"
                  + " under the layer median %.2f min %.2f | ratio %.2f%n",
              STARTS,
              median(plain),
              plain[0],
              median(layered),
              layered[0],
              median(layered) / median(plain)));
    } finally {
      s.close();
      vertx.close();
    }
    System.out.print(report);
    Files.writeString(Path.of("target", "seccomp-layer-benchmark.txt"), report.toString());
  }

  private String output(List<String> prefix, Path loop, String path) throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(loop.toString(), path, Integer.toString(CALLS)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  private double[] starts(List<String> prefix, Path program) throws Exception {
    double[] ms = new double[STARTS];
    for (int i = 0; i < STARTS; i++) {
      List<String> cmd = new ArrayList<>(prefix);
      cmd.add(program.toString());
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(cmd).start();
      p.getInputStream().readAllBytes();
      p.waitFor(30, TimeUnit.SECONDS);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  private static double median(double[] sorted) {
    return sorted[sorted.length / 2];
  }

  private Path compile() throws Exception {
    Path src = Files.writeString(work.resolve("loop.c"), LOOP);
    Path bin = work.resolve("loop");
    Process p =
        new ProcessBuilder("gcc", "-static", "-O2", "-o", bin.toString(), src.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0)
      throw new IllegalStateException("gcc: " + log);
    return bin;
  }

  private Path goBuild() throws Exception {
    Path dir = Files.createDirectories(work.resolve("hello"));
    Files.writeString(dir.resolve("main.go"), HELLO);
    ProcessBuilder pb =
        new ProcessBuilder("go", "build", "-o", "hello", "main.go")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("GOCACHE", work.resolve("gocache").toString());
    pb.environment().put("GOPATH", work.resolve("gopath").toString());
    pb.environment().put("CGO_ENABLED", "0");
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0)
      throw new IllegalStateException("go build: " + log);
    return dir.resolve("hello");
  }
}
