package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.LayerPeer;
import dev.mirrordj.layerbridge.LayerRequestHandler;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.verticles.proxy.remote.AgentLostException;
import dev.mirrordj.verticles.proxy.remote.RemoteErrno;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's answer to every layer request: applies the policies and talks to the pod through the
 * shared {@link RemoteTarget}. Remote failures become errnos for the program, never hangs.
 */
public final class ProxyHandler implements LayerRequestHandler {
  private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);

  private final ProxySettings settings;
  private final FsPolicy fs;
  private final OutgoingPolicy outgoing;
  private final ProcessPolicy processes;
  private final FileRequests files;
  private final NetworkRequests network;
  private final Map<Integer, AtomicInteger> connectionsByPid = new ConcurrentHashMap<>();
  private volatile Consumer<LayerRequest.Listen> listenObserver = l -> {};
  private volatile java.util.function.Supplier<Future<Map<String, String>>> environment =
      () -> Future.succeededFuture(Map.of());

  public ProxyHandler(Vertx vertx, ProxySettings settings, RemoteTarget remote, Path sessionDir) {
    this.settings = settings;
    this.fs = new FsPolicy(settings);
    this.outgoing = new OutgoingPolicy(settings);
    this.processes = new ProcessPolicy(settings);
    this.files = new FileRequests(fs, remote, settings.readlink());
    this.network = new NetworkRequests(vertx, settings, outgoing, remote, sessionDir);
  }

  /** Who wants to know about local listeners (incoming traffic delivery). */
  public void onListen(Consumer<LayerRequest.Listen> observer) {
    this.listenObserver = observer;
  }

  // --- incoming traffic hooks (helper E): listener events with the reporting process's pid ---
  private volatile java.util.function.BiConsumer<Integer, LayerRequest.Listen> listenFromObserver =
      (p, l) -> {};
  private volatile java.util.function.BiConsumer<Integer, dev.mirrordj.layerbridge.msg.SockAddr>
      unlistenObserver = (p, a) -> {};
  private volatile java.util.function.IntConsumer processGoneObserver = p -> {};
  private volatile Map<Integer, Integer> listenPorts = Map.of();
  private volatile java.util.function.Predicate<dev.mirrordj.layerbridge.msg.SockAddr> subscribes =
      a -> false;

  /**
   * Whether a listener on a requested address would be subscribed: then a bind that finds the port
   * busy locally falls back to a random local port (layer op 14).
   */
  public void onBindBusy(
      java.util.function.Predicate<dev.mirrordj.layerbridge.msg.SockAddr> wouldSubscribe) {
    this.subscribes = wouldSubscribe;
  }

  /**
   * feature.network.incoming.listen_ports as requested port → local port: sent to every layer in
   * its Hello so its bind hook binds the local port (only while incoming traffic is on).
   */
  public void useListenPorts(Map<Integer, Integer> requestedToLocal) {
    this.listenPorts = Map.copyOf(requestedToLocal);
  }

  /** Like {@link #onListen} with the pid of the listening process (incoming traffic delivery). */
  public void onListenFrom(java.util.function.BiConsumer<Integer, LayerRequest.Listen> observer) {
    this.listenFromObserver = observer;
  }

  /** The last descriptor of a reported listener was closed (layer op 12). */
  public void onListenerClosed(
      java.util.function.BiConsumer<Integer, dev.mirrordj.layerbridge.msg.SockAddr> observer) {
    this.unlistenObserver = observer;
  }

  /**
   * A process's last layer connection closed: it ended (or exec'd into something without the
   * layer).
   */
  public void onProcessGone(java.util.function.IntConsumer observer) {
    this.processGoneObserver = observer;
  }

  // --- end incoming traffic hooks ---

  /** Where feature.env.load_from_process gets the variables a starting program sets. */
  public void onEnvironment(java.util.function.Supplier<Future<Map<String, String>>> source) {
    this.environment = source;
  }

  @Override
  public Future<LayerReply> handle(LayerPeer peer, LayerRequest request) {
    Future<LayerReply> answer;
    if (request instanceof LayerRequest.Hello h) answer = Future.succeededFuture(hello(peer, h));
    else if (request instanceof LayerRequest.Open o) answer = files.open(o);
    else if (request instanceof LayerRequest.Stat s) answer = files.stat(s);
    else if (request instanceof LayerRequest.StatFs s) answer = files.statfs(s);
    else if (request instanceof LayerRequest.Access a) answer = files.access(a);
    else if (request instanceof LayerRequest.PathOp p) answer = files.pathOp(p);
    else if (request instanceof LayerRequest.WriteBack w) answer = files.writeBack(w);
    else if (request instanceof LayerRequest.Connect c) answer = network.connect(peer, c);
    else if (request instanceof LayerRequest.ConnectionInfo ci) answer = network.connectionInfo(ci);
    else if (request instanceof LayerRequest.Dns d) answer = network.dns(d);
    else if (request instanceof LayerRequest.Hostname) answer = network.hostname();
    else if (request instanceof LayerRequest.GetEnv)
      answer = environment.get().map(LayerReply.Environment::new);
    else if (request instanceof LayerRequest.Listen l) {
      listenObserver.accept(l);
      listenFromObserver.accept(peer.pid(), l);
      answer = Future.succeededFuture(LayerReply.OK);
    } else if (request instanceof LayerRequest.BindBusy b) {
      answer =
          Future.succeededFuture(subscribes.test(b.requested()) ? LayerReply.OK : LayerReply.LOCAL);
    } else if (request instanceof LayerRequest.Unlisten u) {
      unlistenObserver.accept(peer.pid(), u.address());
      answer = Future.succeededFuture(LayerReply.OK);
    } else answer = Future.succeededFuture(LayerReply.errno(Errno.ENOSYS));
    return answer.recover(err -> Future.succeededFuture(failure(peer, request, err)));
  }

  private LayerReply hello(LayerPeer peer, LayerRequest.Hello h) {
    countHello(peer);
    if (processes.skip(h.exe(), h.cmdline())) {
      log.debug("{}: skipping {} ({})", peer, h.exe(), h.cmdline());
      return new LayerReply.Hello(LayerReply.Hello.SKIP, java.util.List.of(), java.util.List.of());
    }
    int flags = 0;
    if (fs.enabled()) flags |= LayerReply.Hello.FS;
    if (outgoing.anyOutgoing()) flags |= LayerReply.Hello.OUTGOING;
    if (settings.dns()) flags |= LayerReply.Hello.DNS;
    if (settings.hostname()) flags |= LayerReply.Hello.HOSTNAME;
    if (outgoing.unixStreamsConfigured()) flags |= LayerReply.Hello.UNIX_STREAMS;
    flags |= LayerReply.Hello.LISTEN;
    return new LayerReply.Hello(flags, fs.fastLocalPrefixes(), fs.fastLocalSuffixes(), listenPorts);
  }

  private LayerReply failure(LayerPeer peer, LayerRequest request, Throwable err) {
    if (err instanceof RemoteErrno re) {
      if (request instanceof LayerRequest.Dns) return new LayerReply.Eai(Errno.EAI_NONAME);
      return LayerReply.errno(re.errno());
    }
    if (err instanceof AgentLostException) {
      log.debug("{}: {} failed, agent lost", peer, request.getClass().getSimpleName());
    } else {
      log.warn("{}: {} failed: {}", peer, request.getClass().getSimpleName(), err.toString());
    }
    if (request instanceof LayerRequest.Dns) return new LayerReply.Eai(Errno.EAI_FAIL);
    if (request instanceof LayerRequest.Connect) return LayerReply.errno(Errno.ECONNREFUSED);
    return LayerReply.errno(Errno.EIO);
  }

  @Override
  public void connected(LayerPeer peer) {
    // counted once the Hello tells us the pid (see disconnected)
  }

  @Override
  public void disconnected(LayerPeer peer) {
    int pid = peer.pid();
    AtomicInteger n = connectionsByPid.get(pid);
    if (n != null && n.decrementAndGet() <= 0) {
      connectionsByPid.remove(pid);
      network.processGone(pid);
      processGoneObserver.accept(pid);
    }
  }

  private void countHello(LayerPeer peer) {
    connectionsByPid.computeIfAbsent(peer.pid(), k -> new AtomicInteger()).incrementAndGet();
  }
}
