package dev.mirrordj.agent.incoming;

import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.incoming.mirror.MirrorClient;
import dev.mirrordj.agent.incoming.steal.ConnectionInfo;
import dev.mirrordj.agent.incoming.steal.StealTarget;
import dev.mirrordj.agent.incoming.steal.Upstream;
import dev.mirrordj.agent.session.ClientSink;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.incoming.Incoming;
import dev.mirrordj.sniffer.FlowKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session's incoming traffic: its mirror and steal subscriptions, asked of the mirror
 * and steal verticles over the bus, and the connections the agent hands it, relayed over the
 * session as {@code IN_*} frames. The session's departure ({@code CLIENT_GONE}) releases its
 * subscriptions; {@link #closeAll} ends its stolen connections.
 */
public final class IncomingSession implements MirrorClient, StealTarget {

  private static final Logger log = LoggerFactory.getLogger(IncomingSession.class);
  private static final AtomicLong IDS = new AtomicLong();
  // the first subscription starts the steal listener or the capture and installs rules: seconds
  private static final DeliveryOptions CONTROL = new DeliveryOptions().setSendTimeout(30_000);

  private final String clientId;
  private final String label;
  private final ClientSink sink;
  private final EventBus bus;
  private final boolean targetless;
  private final Set<Integer> mirrored = ConcurrentHashMap.newKeySet();
  private final Set<Integer> stolen = ConcurrentHashMap.newKeySet();
  private final Map<Long, ProtocolUpstream> stolenConnections = new ConcurrentHashMap<>();

  /**
   * @param targetless true for a targetless agent (subscriptions are refused)
   */
  public IncomingSession(
      String clientId, String label, ClientSink sink, EventBus bus, boolean targetless) {
    this.clientId = clientId;
    this.label = label;
    this.sink = sink;
    this.bus = bus;
    this.targetless = targetless;
  }

  public static boolean handles(Message m) {
    return m.type() >= Incoming.PORT_SUBSCRIBE && m.type() <= Incoming.IN_CREDIT;
  }

  public void handle(Message m, int requestId) {
    if (m instanceof Incoming.Subscribe s) {
      subscribe(s).onComplete(reply -> sink.send(reply.result(), requestId));
    } else if (m instanceof Incoming.Unsubscribe u) {
      unsubscribe(u.port()).onComplete(v -> sink.send(new Control.Ok(), requestId));
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

  /** Always succeeds, with the reply for the client (OK or ERROR). */
  private Future<Message> subscribe(Incoming.Subscribe s) {
    if (targetless) {
      return Future.succeededFuture(
          new Control.ErrorReply(
              Errno.ENOSYS, "incoming traffic needs a target; this agent is targetless"));
    }
    String address;
    Set<Integer> ports;
    boolean again = false;
    if (s.mode() == Incoming.MODE_MIRROR) {
      address = AgentAddresses.MIRROR_SUBSCRIBE;
      ports = mirrored;
    } else if (s.mode() == Incoming.MODE_STEAL) {
      // a port this session already steals keeps its place and rules and gets the new filter
      again = stolen.contains(s.port());
      address = again ? AgentAddresses.STEAL_FILTER : AgentAddresses.STEAL_SUBSCRIBE;
      ports = stolen;
    } else {
      return Future.succeededFuture(
          new Control.ErrorReply(
              Errno.EINVAL,
              "unknown incoming mode " + s.mode() + "; expected 1 (mirror) or 2 (steal)"));
    }
    var request =
        new AgentMessages.Subscribe(
            clientId,
            s.port(),
            s.headerFilter(),
            s.pathFilter(),
            s.matchAll(),
            s.flushConnections(),
            s.filter(),
            s.maxBodyBytes(),
            s.bodyTimeoutMillis());
    boolean filterChange = again;
    // taken before the reply: an unsubscribe that arrives while the subscribe is in flight must
    // still reach the feature (it queues behind the subscribe there) or a redirect would outlive
    // its listener
    boolean added = ports.add(s.port());
    return bus.request(address, request, CONTROL)
        .onFailure(
            e -> {
              if (added) ports.remove(s.port());
            })
        .map(
            ok -> {
              log.info(
                  "[{}] {} port {}{}",
                  label,
                  filterChange
                      ? "new filter for stolen"
                      : s.mode() == Incoming.MODE_MIRROR ? "mirroring" : "stealing",
                  s.port(),
                  request.filtered() ? " with HTTP filter" : "");
              return (Message) new Control.Ok();
            })
        .otherwise(IncomingSession::errorReply);
  }

  private static Message errorReply(Throwable e) {
    if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return new Control.ErrorReply(re.failureCode(), re.getMessage());
    }
    return new Control.ErrorReply(Errno.EIO, "incoming traffic is unavailable: " + e.getMessage());
  }

  private Future<Void> unsubscribe(int port) {
    var request = new AgentMessages.Unsubscribe(clientId, port);
    Future<Void> mirror =
        mirrored.remove(port)
            ? bus.request(AgentAddresses.MIRROR_UNSUBSCRIBE, request, CONTROL).mapEmpty()
            : Future.succeededFuture();
    Future<Void> steal =
        stolen.remove(port)
            ? bus.request(AgentAddresses.STEAL_UNSUBSCRIBE, request, CONTROL).mapEmpty()
            : Future.succeededFuture();
    return Future.join(mirror, steal)
        .<Void>mapEmpty()
        .onFailure(e -> log.warn("[{}] unsubscribing port {}: {}", label, port, e.toString()));
  }

  /**
   * The session ended: its stolen connections end here; its subscriptions are released by the
   * mirror and steal verticles when they hear that the client is gone.
   */
  public void closeAll() {
    mirrored.clear();
    stolen.clear();
    stolenConnections.values().forEach(ProtocolUpstream::clientGone);
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

  public String clientId() {
    return clientId;
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
