package dev.mirrordj.layerbridge;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs real programs under the freshly built layer against a {@link LayerServer} with a {@link
 * FixtureHandler}. Cleans up the server, services and processes it started.
 */
final class LayerHarness implements AutoCloseable {
  final Path work;
  final Path remoteRoot;
  final Path layerTmp;
  final Path library;
  final Vertx vertx;
  final FixtureHandler handler;
  final SwitchableHandler switchable;
  final LayerServer server;
  final TestServices services;

  LayerHarness(Path work) throws Exception {
    this.work = work;
    remoteRoot = Files.createDirectories(work.resolve("remote"));
    layerTmp = Files.createDirectories(work.resolve("layer-tmp"));
    Files.writeString(remoteRoot.resolve("hello.txt"), "hello from the pod\n");
    Path dir = Files.createDirectories(remoteRoot.resolve("dir"));
    Files.writeString(dir.resolve("a.txt"), "a");
    Files.writeString(dir.resolve("b.txt"), "b");
    Files.createDirectories(dir.resolve("sub"));
    library = LayerLibrary.extract(work.resolve("cache"));
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    handler = new FixtureHandler(remoteRoot);
    services = new TestServices();
    handler.tcpService(7, services.tcp.getLocalPort());
    handler.udpService(7, services.udp.getLocalPort());
    handler.tcpService(80, services.http.getAddress().getPort());
    switchable = new SwitchableHandler(handler);
    server = new LayerServer(vertx, work.resolve("layer.sock"), switchable);
    server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Serves with another handler until closed. */
  Swap swapHandler(LayerRequestHandler other) {
    switchable.current = other;
    return () -> switchable.current = handler;
  }

  interface Swap extends AutoCloseable {
    @Override
    void close();
  }

  static final class SwitchableHandler implements LayerRequestHandler {
    volatile LayerRequestHandler current;

    SwitchableHandler(LayerRequestHandler initial) {
      current = initial;
    }

    @Override
    public io.vertx.core.Future<dev.mirrordj.layerbridge.msg.LayerReply> handle(
        LayerPeer peer, dev.mirrordj.layerbridge.msg.LayerRequest request) {
      return current.handle(peer, request);
    }
  }

  record Result(int exit, String stdout, String stderr) {
    List<String> lines() {
      return stdout.lines().toList();
    }
  }

  Result run(List<String> command) throws IOException, InterruptedException {
    return run(command, Map.of());
  }

  Result run(List<String> command, Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    return run(command, extraEnv, 120);
  }

  /**
   * extraEnv's LD_PRELOAD goes before the layer; MIRRORD_TEST_PRELOAD_AFTER names libraries to
   * preload after it (the order decides whose symbols the program sees first).
   */
  Result run(List<String> command, Map<String, String> extraEnv, int timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(work.toFile());
    Map<String, String> env = pb.environment();
    Map<String, String> extra = new java.util.HashMap<>(extraEnv);
    String pre =
        extra.containsKey("LD_PRELOAD") ? extra.remove("LD_PRELOAD") : env.get("LD_PRELOAD");
    String after = extra.remove("MIRRORD_TEST_PRELOAD_AFTER");
    env.put(
        "LD_PRELOAD",
        (pre == null || pre.isEmpty() ? "" : pre + ":")
            + library
            + (after == null ? "" : ":" + after));
    env.put("MIRRORD_LAYER_SOCK", server.socketPath().toString());
    env.put("MIRRORD_LAYER_TMP", layerTmp.toString());
    env.putAll(extra);
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out: " + command + "\nstderr: " + Files.readString(err));
      }
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      services.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
