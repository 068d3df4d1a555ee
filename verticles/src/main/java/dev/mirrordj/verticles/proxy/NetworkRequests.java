package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.LayerPeer;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.verticles.proxy.remote.RemoteConnection;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Outgoing connections, datagrams, DNS and hostname for the layer. */
final class NetworkRequests {
  private final Vertx vertx;
  private final ProxySettings settings;
  private final OutgoingPolicy policy;
  private final RemoteTarget remote;
  private final Path unixDir;
  private final AtomicLong unixIds = new AtomicLong();

  /** One datagram interceptor per (process, destination): sendto asks for every datagram. */
  private final Map<String, Future<DatagramInterceptor>> datagrams = new ConcurrentHashMap<>();

  private volatile Future<String> hostname;

  /** Pod side of each live stream interceptor, by the interceptor's address (for getsockname). */
  private final Map<String, Future<RemoteConnection>> streams = new ConcurrentHashMap<>();

  NetworkRequests(
      Vertx vertx,
      ProxySettings settings,
      OutgoingPolicy policy,
      RemoteTarget remote,
      Path unixDir) {
    this.vertx = vertx;
    this.settings = settings;
    this.policy = policy;
    this.remote = remote;
    this.unixDir = unixDir;
  }

  Future<LayerReply> connect(LayerPeer peer, LayerRequest.Connect c) {
    boolean stream = c.type() == LayerRequest.SockType.STREAM;
    SockAddr target = c.address();
    if (!policy.isRemote(stream, target)) return Future.succeededFuture(LayerReply.LOCAL);
    String context = peer + " -> " + target;
    if (stream) {
      if (settings.tcpPing4Mock() && target.isInet() && target.port() == 7) {
        return StreamInterceptor.start(vertx, null, null, context, addr -> {})
            .map(LayerReply.Redirect::new);
      }
      Path unixPath =
          target.isInet() ? null : unixDir.resolve("out-" + unixIds.incrementAndGet() + ".sock");
      Future<RemoteConnection> pod = remote.connectStream(target);
      // A blocking connect waits for the pod side so a refusal is the connect's own errno; a
      // non-blocking one gets its interceptor at once (EINPROGRESS semantics stay the program's).
      // Once the agent is known to be lost there is nothing to wait for: fail the connect
      // itself, blocking or not, instead of handing out an interceptor that can only reset.
      boolean agentGone = remote.lost().isComplete();
      Future<RemoteConnection> ready =
          c.nonBlocking() && !agentGone ? Future.succeededFuture(null) : pod;
      return ready
          .compose(
              x ->
                  StreamInterceptor.start(
                          vertx,
                          remote.streamContext(),
                          pod,
                          unixPath,
                          context,
                          addr -> streams.remove(addr.toString()))
                      .onSuccess(addr -> streams.put(addr.toString(), pod)))
          .map(LayerReply.Redirect::new);
    }
    if (!target.isInet()) return Future.succeededFuture(LayerReply.LOCAL);
    String key = peer.pid() + "|" + target;
    Future<DatagramInterceptor> f =
        datagrams.computeIfAbsent(
            key,
            k ->
                remote
                    .openDatagram(target)
                    .compose(conn -> DatagramInterceptor.start(vertx, conn)));
    return f.map(i -> (LayerReply) new LayerReply.Redirect(i.address()))
        .onFailure(e -> datagrams.remove(key));
  }

  /**
   * getsockname of a redirected stream: its local address in the pod, once the pod side is up
   * (waits for it; a failed pod side answers with its errno and the layer shows the real address).
   */
  Future<LayerReply> connectionInfo(LayerRequest.ConnectionInfo info) {
    Future<RemoteConnection> pod = streams.get(info.interceptor().toString());
    if (pod == null) return Future.succeededFuture(LayerReply.LOCAL);
    return pod.map(
        conn ->
            conn.localAddress() == null
                ? LayerReply.LOCAL
                : new LayerReply.Address(conn.localAddress()));
  }

  /** Closes the datagram interceptors of a process once its last connection is gone. */
  void processGone(int pid) {
    datagrams
        .entrySet()
        .removeIf(
            e -> {
              if (!e.getKey().startsWith(pid + "|")) return false;
              e.getValue().onSuccess(DatagramInterceptor::close);
              return true;
            });
  }

  Future<LayerReply> dns(LayerRequest.Dns d) {
    if (!settings.dns()) return Future.succeededFuture(LayerReply.LOCAL);
    return remote
        .resolve(d.node())
        .map(
            list -> {
              if (list.isEmpty()) return (LayerReply) new LayerReply.Eai(Errno.EAI_NONAME);
              policy.remember(d.node(), list);
              return new LayerReply.Addresses(d.node(), list);
            });
  }

  Future<LayerReply> hostname() {
    if (!settings.hostname()) return Future.succeededFuture(LayerReply.LOCAL);
    Future<String> h = hostname;
    if (h == null || h.failed()) {
      h = remote.hostname();
      hostname = h;
    }
    return h.map(LayerReply.Name::new);
  }
}
