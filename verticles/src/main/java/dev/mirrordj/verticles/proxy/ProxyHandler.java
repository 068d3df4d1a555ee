package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.LayerPeer;
import dev.mirrordj.layerbridge.LayerRequestHandler;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.client.AgentLostException;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.proxy.remote.RemoteErrno;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's answer to every layer request: applies the policies and talks to the pod through the
 * shared {@link RemoteTarget}. Remote failures become errnos for the program, never hangs.
 */
public final class ProxyHandler implements LayerRequestHandler {
  private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);

  /**
   * How long listen() waits for its subscription: the first steal of a session starts the agent's
   * redirect listener and installs rules, which takes seconds on a busy node.
   */
  static final long LISTEN_WAIT_MS = 15_000;

  private final ProxySettings settings;
  private final FsPolicy fs;
  private final OutgoingPolicy outgoing;
  private final ProcessPolicy processes;
  private final LayerFileRequests files;
  private final NetworkRequests network;
  private final EventBus bus;
  private final Map<Integer, AtomicInteger> connectionsByPid = new ConcurrentHashMap<>();
  private volatile Map<Integer, Integer> listenPorts = Map.of();

  public ProxyHandler(Vertx vertx, ProxySettings settings, RemoteTarget remote, Path sessionDir) {
    this.settings = settings;
    this.bus = vertx.eventBus();
    this.fs = new FsPolicy(settings);
    this.outgoing = new OutgoingPolicy(settings);
    this.processes = new ProcessPolicy(settings);
    this.files = new LayerFileRequests(fs, remote, settings.readlink());
    this.network = new NetworkRequests(vertx, settings, outgoing, remote, sessionDir);
  }

  /**
   * feature.network.incoming.listen_ports as requested port → local port: sent to every layer in
   * its Hello so its bind hook binds the local port (set by the incoming verticle through {@link
   * Addresses#LOCAL_PROXY_LISTEN_PORTS}, only while incoming traffic is on).
   */
  void useListenPorts(Map<Integer, Integer> requestedToLocal) {
    this.listenPorts = Map.copyOf(requestedToLocal);
  }

  /**
   * feature.env.load_from_process: the variables a starting program takes from the pod, asked of
   * whoever answers {@link Addresses#LOCAL_PROGRAM_ENVIRONMENT}; none when nobody does.
   */
  private Future<Map<String, String>> programEnvironment() {
    return bus.<Messages.PodEnvironment>request(Addresses.LOCAL_PROGRAM_ENVIRONMENT, null)
        .map(m -> m.body().variables())
        .recover(e -> noHandlers(e) ? Future.succeededFuture(Map.of()) : Future.failedFuture(e));
  }

  /**
   * A bind found the local port busy: it may fall back to a random local port (layer op 14) when
   * the incoming verticle would subscribe the listener; without one, it stays local.
   */
  private Future<LayerReply> bindBusy(LayerRequest.BindBusy b) {
    return bus.<Boolean>request(
            Addresses.LOCAL_INCOMING_BIND_BUSY, new Messages.BindBusy(b.requested()))
        .map(m -> Boolean.TRUE.equals(m.body()) ? LayerReply.OK : LayerReply.LOCAL)
        .recover(
            e -> noHandlers(e) ? Future.succeededFuture(LayerReply.LOCAL) : Future.failedFuture(e));
  }

  /**
   * The program's listen() returns once the listener's subscription is settled at the agent, so
   * remote traffic flows when it returns (as with mirrord) and a close right after it cannot
   * overtake its subscription. The listener is up locally whatever happens: refusals are told to
   * the user by the incoming verticle; with incoming off nobody answers, and past {@link
   * #LISTEN_WAIT_MS} the program goes on while the subscription completes.
   */
  private Future<LayerReply> listen(LayerPeer peer, LayerRequest.Listen l) {
    return bus.request(
            Addresses.LOCAL_INCOMING_LISTEN,
            new Messages.Listen(peer.pid(), l.address(), l.requestedPort()),
            new DeliveryOptions().setSendTimeout(LISTEN_WAIT_MS))
        .transform(
            ar -> {
              if (ar.failed() && !noHandlers(ar.cause())) {
                log.warn(
                    "{}: the subscription for {} is not settled after {} ms; listen() returns and"
                        + " it goes on",
                    peer,
                    l.address(),
                    LISTEN_WAIT_MS);
              }
              return Future.succeededFuture(LayerReply.OK);
            });
  }

  private static boolean noHandlers(Throwable e) {
    return e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
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
      answer = programEnvironment().map(LayerReply.Environment::new);
    else if (request instanceof LayerRequest.Listen l) {
      answer = listen(peer, l);
    } else if (request instanceof LayerRequest.BindBusy b) {
      answer = bindBusy(b);
    } else if (request instanceof LayerRequest.Unlisten u) {
      bus.send(
          Addresses.LOCAL_INCOMING_LISTENER_CLOSED,
          new Messages.ListenerClosed(peer.pid(), u.address()));
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
      bus.publish(Addresses.LOCAL_LAYER_PROCESS_GONE, new Messages.ProcessGone(pid));
    }
  }

  private void countHello(LayerPeer peer) {
    connectionsByPid.computeIfAbsent(peer.pid(), k -> new AtomicInteger()).incrementAndGet();
  }
}
