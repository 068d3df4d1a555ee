package dev.mirrordj.verticles.proxy.seccomp;

import dev.mirrordj.layerbridge.LayerPeer;
import dev.mirrordj.layerbridge.LayerRequestHandler;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.verticles.proxy.FsPolicy;
import dev.mirrordj.verticles.proxy.ProxySettings;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The supervisor's calls served by the proxy's own request handler (the one LD_PRELOAD layers talk
 * to), on a Vert.x context as that handler expects, with one peer per supervised process.
 */
public final class ProxySupervisedCalls implements SupervisedCalls {
  private static final long PEER_IDS = 1L << 40; // apart from the layer server's connection ids

  private final Context context;
  private final LayerRequestHandler handler;
  private final RemoteTarget remote;
  private final ProxySettings settings;
  private final List<String> localPrefixes;
  private static final long SWEEP_MILLIS = 500;
  private final Vertx vertx;
  private final Map<Integer, Process> processes = new ConcurrentHashMap<>();
  private long sweeper = -1;
  private final AtomicLong ids = new AtomicLong(PEER_IDS);

  public ProxySupervisedCalls(
      Vertx vertx, LayerRequestHandler handler, RemoteTarget remote, ProxySettings settings) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.handler = handler;
    this.remote = remote.withReadBuffer(settings.readonlyFileBuffer());
    this.settings = settings;
    this.localPrefixes = new FsPolicy(settings).fastLocalPrefixes();
  }

  /** A supervised process as the handler knows it: its peer and the answer to its Hello. */
  private record Process(LayerPeer peer, Future<LayerReply> hello) {}

  @Override
  public Future<LayerReply> handle(int pid, LayerRequest request) {
    Promise<LayerReply> answer = Promise.promise();
    context.runOnContext(
        v -> {
          Process p = processes.computeIfAbsent(pid, this::introduce);
          p.hello()
              .compose(
                  h ->
                      h instanceof LayerReply.Hello hello
                              && (hello.flags() & LayerReply.Hello.SKIP) != 0
                          ? Future.succeededFuture(LayerReply.LOCAL) // skip_processes
                          : handler.handle(p.peer(), request))
              .onComplete(answer);
        });
    return answer.future();
  }

  /**
   * The handler meets a process the way it meets a layer: by its Hello (skip_processes applies, and
   * the process counts until it has gone, for the incoming listeners it reported).
   */
  private Process introduce(int pid) {
    String exe = exe(pid);
    LayerRequest.Hello hello = new LayerRequest.Hello(pid, 0, exe, cmdline(pid, exe));
    LayerPeer peer = LayerPeer.forSupervisedProcess(ids.incrementAndGet(), hello);
    if (sweeper < 0) sweeper = vertx.setPeriodic(SWEEP_MILLIS, t -> sweep());
    return new Process(peer, handler.handle(peer, hello));
  }

  /** Processes that ended leave the handler as a closed layer connection would. */
  private void sweep() {
    processes
        .entrySet()
        .removeIf(
            e -> {
              if (Files.exists(Path.of("/proc", Integer.toString(e.getKey())))) return false;
              handler.disconnected(e.getValue().peer());
              return true;
            });
  }

  @Override
  public Future<byte[]> podFile(String path) {
    Promise<byte[]> answer = Promise.promise();
    context.runOnContext(v -> remote.readContent(path).onComplete(answer));
    return answer.future();
  }

  @Override
  public boolean remoteDns() {
    return settings.dns();
  }

  @Override
  public boolean remoteHostname() {
    return settings.hostname();
  }

  @Override
  public List<String> localPrefixes() {
    return localPrefixes;
  }

  private static String exe(int pid) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe")).toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static String cmdline(int pid, String exe) {
    try {
      byte[] b = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline"));
      return new String(b, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException e) {
      return exe;
    }
  }

  /** Stops watching for ended processes (the session is over). */
  public void close() {
    context.runOnContext(
        v -> {
          if (sweeper >= 0) vertx.cancelTimer(sweeper);
          sweep();
        });
  }
}
