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
  private final Map<Integer, LayerPeer> peers = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(PEER_IDS);

  public ProxySupervisedCalls(
      Vertx vertx, LayerRequestHandler handler, RemoteTarget remote, ProxySettings settings) {
    this.context = vertx.getOrCreateContext();
    this.handler = handler;
    this.remote = remote;
    this.settings = settings;
    this.localPrefixes = new FsPolicy(settings).fastLocalPrefixes();
  }

  @Override
  public Future<LayerReply> handle(int pid, LayerRequest request) {
    Promise<LayerReply> answer = Promise.promise();
    LayerPeer peer =
        peers.computeIfAbsent(
            pid,
            p ->
                LayerPeer.forSupervisedProcess(
                    ids.incrementAndGet(), new LayerRequest.Hello(p, 0, exe(p), "")));
    context.runOnContext(v -> handler.handle(peer, request).onComplete(answer));
    return answer.future();
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
      return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc", pid + "", "exe"))
          .toString();
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
