package dev.mirrordj.agent.incoming;

import dev.mirrordj.agent.incoming.filter.FilterCompiler;
import dev.mirrordj.agent.incoming.filter.HttpFilter;
import dev.mirrordj.agent.incoming.mirror.MirrorClient;
import dev.mirrordj.agent.incoming.steal.ConnectionInfo;
import dev.mirrordj.agent.incoming.steal.PortAlreadyStolenException;
import dev.mirrordj.agent.incoming.steal.StealTarget;
import dev.mirrordj.agent.incoming.steal.Subscription;
import dev.mirrordj.agent.incoming.steal.Upstream;
import dev.mirrordj.agent.session.ClientSink;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.incoming.Incoming;
import dev.mirrordj.sniffer.FlowKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session's incoming traffic: its mirror and steal subscriptions, and the connections
 * the agent hands it, relayed over the session as {@code IN_*} frames. Everything it subscribed is
 * released when the session ends.
 */
public final class IncomingSession implements MirrorClient, StealTarget {

  private static final Logger log = LoggerFactory.getLogger(IncomingSession.class);
  private static final AtomicLong IDS = new AtomicLong();

  static {
    Incoming.register();
  }

  private final IncomingTraffic traffic;
  private final ClientSink sink;
  private final ExecutorService blocking;
  private final String label;
  private final Set<Integer> mirrored = ConcurrentHashMap.newKeySet();
  private final Set<Integer> stolen = ConcurrentHashMap.newKeySet();
  private final Map<Long, ProtocolUpstream> stolenConnections = new ConcurrentHashMap<>();

  /**
   * @param traffic null for a targetless agent (subscriptions are refused)
   */
  public IncomingSession(
      IncomingTraffic traffic, ClientSink sink, ExecutorService blocking, String label) {
    this.traffic = traffic;
    this.sink = sink;
    this.blocking = blocking;
    this.label = label;
  }

  /** Makes sure the incoming decoders are registered (call before the first frame is decoded). */
  public static void init() {
    Incoming.register();
  }

  public static boolean handles(Message m) {
    return m.type() >= Incoming.PORT_SUBSCRIBE && m.type() <= Incoming.IN_CREDIT;
  }

  public void handle(Message m, int requestId) {
    if (m instanceof Incoming.Subscribe s) {
      blocking.execute(() -> sink.send(subscribe(s), requestId));
    } else if (m instanceof Incoming.Unsubscribe u) {
      blocking.execute(
          () -> {
            unsubscribe(u.port());
            sink.send(new Control.Ok(), requestId);
          });
    } else if (m instanceof Incoming.Data d) {
      withConnection(d.connId(), d);
    } else if (m instanceof Incoming.Shutdown s) {
      withConnection(s.connId(), s);
    } else if (m instanceof Incoming.Credit c) {
      withConnection(c.connId(), c);
    } else if (m instanceof Incoming.Close c) {
      withConnection(c.connId(), c);
      stolenConnections.remove(c.connId());
    }
  }

  private void withConnection(long connId, Message m) {
    ProtocolUpstream up = stolenConnections.get(connId);
    if (up != null) {
      up.fromClient(m);
    }
  }

  private Message subscribe(Incoming.Subscribe s) {
    if (traffic == null) {
      return new Control.ErrorReply(
          Errno.ENOSYS, "incoming traffic needs a target; this agent is targetless");
    }
    try {
      if (s.mode() == Incoming.MODE_MIRROR) {
        traffic.mirror().subscribe(this, s.port());
        mirrored.add(s.port());
      } else if (s.mode() == Incoming.MODE_STEAL) {
        HttpFilter filter = filter(s);
        traffic
            .steal()
            .subscribe(
                new Subscription(label, s.port(), filter, this),
                IncomingTraffic.flushConnections(s.flushConnections()));
        stolen.add(s.port());
      } else {
        return new Control.ErrorReply(
            Errno.EINVAL,
            "unknown incoming mode " + s.mode() + "; expected 1 (mirror) or 2 (steal)");
      }
      log.info(
          "[{}] {} port {}{}",
          label,
          s.mode() == Incoming.MODE_MIRROR ? "mirroring" : "stealing",
          s.port(),
          s.filtered() ? " with HTTP filter" : "");
      return new Control.Ok();
    } catch (PortAlreadyStolenException e) {
      return new Control.ErrorReply(Errno.EADDRINUSE, e.getMessage());
    } catch (IllegalArgumentException e) {
      return new Control.ErrorReply(Errno.EINVAL, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("[{}] subscribing port {} failed: {}", label, s.port(), e.toString());
      return new Control.ErrorReply(
          Errno.EPERM, "cannot receive traffic of port " + s.port() + ": " + e.getMessage());
    }
  }

  private static HttpFilter filter(Incoming.Subscribe s) {
    return FilterCompiler.compile(s);
  }

  private void unsubscribe(int port) {
    if (mirrored.remove(port)) {
      traffic.mirror().unsubscribe(this, port);
    }
    if (stolen.remove(port)) {
      traffic.steal().unsubscribe(label, port);
    }
  }

  /** The session ended: release every subscription (rules go with the last one) and connection. */
  public void closeAll() {
    if (traffic == null
        || (mirrored.isEmpty() && stolen.isEmpty() && stolenConnections.isEmpty())) {
      return;
    }
    blocking.execute(
        () -> {
          for (int port : Set.copyOf(mirrored)) {
            unsubscribe(port);
          }
          for (int port : Set.copyOf(stolen)) {
            unsubscribe(port);
          }
        });
    stolenConnections.values().forEach(ProtocolUpstream::closeFromClient);
    stolenConnections.clear();
  }

  // --- StealTarget: a connection (or the matched requests of one) goes to this client

  @Override
  public Future<Upstream> open(ConnectionInfo c) {
    if (sink.isClosed()) {
      return Future.failedFuture("client session closed");
    }
    long id = IDS.incrementAndGet();
    ProtocolUpstream up = new ProtocolUpstream(id, sink, Vertx.currentContext());
    stolenConnections.put(id, up);
    sink.send(
        new Incoming.NewConnection(
            id,
            c.originalDestination().getPort(),
            Incoming.MODE_STEAL,
            c.peer().getAddress().getHostAddress(),
            c.peer().getPort(),
            c.originalDestination().getAddress().getHostAddress(),
            c.originalDestination().getPort(),
            false),
        0);
    return Future.succeededFuture(up);
  }

  @Override
  public String describe() {
    return label;
  }

  // --- MirrorClient: copies of connections, straight to the client (capture thread)

  @Override
  public String id() {
    return label;
  }

  @Override
  public void connectionStarted(long connectionId, FlowKey flow, boolean midStream) {
    sink.send(
        new Incoming.NewConnection(
            -connectionId,
            flow.destinationPort(),
            Incoming.MODE_MIRROR,
            flow.source().getHostAddress(),
            flow.sourcePort(),
            flow.destination().getHostAddress(),
            flow.destinationPort(),
            midStream),
        0);
  }

  @Override
  public void data(long connectionId, byte[] bytes) {
    for (int off = 0; off < bytes.length; off += 64 * 1024) {
      int end = Math.min(bytes.length, off + 64 * 1024);
      sink.send(
          new Incoming.Data(
              -connectionId,
              io.vertx.core.buffer.Buffer.buffer(java.util.Arrays.copyOfRange(bytes, off, end))),
          0);
    }
  }

  @Override
  public void lost(long connectionId, long missingBytes) {
    sink.send(new Incoming.Loss(-connectionId, missingBytes), 0);
  }

  @Override
  public void connectionEnded(long connectionId) {
    sink.send(new Incoming.Close(-connectionId), 0);
  }
}
