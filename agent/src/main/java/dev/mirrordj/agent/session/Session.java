package dev.mirrordj.agent.session;

import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.dns.DnsLookups;
import dev.mirrordj.agent.env.EnvironmentLookups;
import dev.mirrordj.agent.incoming.IncomingClients;
import dev.mirrordj.agent.incoming.IncomingSession;
import dev.mirrordj.agent.net.OutgoingService;
import dev.mirrordj.protocol.Auth;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.FairFrameWriter;
import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.FrameDecoder;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.MessageTypes;
import dev.mirrordj.protocol.Net;
import dev.mirrordj.protocol.ProtocolException;
import dev.mirrordj.protocol.ProtocolVersion;
import dev.mirrordj.protocol.auth.AuthGate;
import dev.mirrordj.protocol.auth.SharedSecret;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: handshake, then requests dispatched to the features. At start the session
 * attaches to the files, outgoing, DNS and environment verticles over the bus and gets their
 * per-request services; every request then goes to those services directly (see the package
 * documentation for why), and incoming-traffic control (subscribe, unsubscribe) goes over the bus
 * to the mirror and steal verticles. When the session ends it publishes {@code CLIENT_GONE}, and
 * each feature releases what it held for this client. A malformed frame ends only this session,
 * with a logged reason.
 *
 * <p>All frames are handled on the connection's context (where the server accepted it); replies may
 * be sent from any thread.
 *
 * <p>Where a request goes: file messages ({@link FileRequestExecutor#handles}) to {@link
 * FileSession}, a new file message being one line in {@link FileRequestExecutor}; lookups to {@link
 * EnvironmentLookups} and {@link DnsLookups}; stream frames to {@link OutgoingService}; incoming
 * frames to {@link IncomingSession}.
 */
public final class Session implements ClientSink {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  static final long HELLO_TIMEOUT_MS = 10_000;

  /** What a client's proof is bound to: a proof made for an operator is worth nothing here. */
  public static final String PROOF_CONTEXT = "mirrordj agent";

  private final String clientId;
  private final String label;
  private final NetSocket socket;
  private final Context context;
  private final EventBus bus;
  private final IncomingClients incomingClients;
  private final String version;
  private final boolean targetless;
  private final Runnable onClosed;
  private final AuthGate gate;
  private final AtomicBoolean closed = new AtomicBoolean();
  private boolean greeted;
  private Runnable onGreeted = () -> {};
  private FairFrameWriter writer;
  private ClientWriter out;
  private FileSession files;
  private OutgoingService outgoing;
  private DnsLookups dns;
  private EnvironmentLookups environment;
  private IncomingSession incoming;

  /**
   * Call in the server's connect handler, before it returns.
   *
   * @param context the connection's context: frames are handled there
   * @param onClosed runs once, on the connection's context, when the session has ended
   */
  public Session(
      long id,
      NetSocket socket,
      Context context,
      EventBus bus,
      IncomingClients incomingClients,
      String version,
      boolean targetless,
      Runnable onClosed) {
    this(id, socket, context, bus, incomingClients, version, targetless, null, onClosed);
  }

  /**
   * As above; with a secret, the client must prove it holds it ({@link AuthGate}) before anything
   * else, HELLO included, is answered.
   *
   * @param secret null: every client is served
   */
  public Session(
      long id,
      NetSocket socket,
      Context context,
      EventBus bus,
      IncomingClients incomingClients,
      String version,
      boolean targetless,
      SharedSecret secret,
      Runnable onClosed) {
    this.gate = AuthGate.of(secret, PROOF_CONTEXT, SharedSecret.AGENT_VARIABLE);
    this.clientId = "session-" + id;
    this.label = "session " + id + " " + socket.remoteAddress();
    this.socket = socket;
    this.context = context;
    this.bus = bus;
    this.incomingClients = incomingClients;
    this.version = version;
    this.targetless = targetless;
    this.onClosed = onClosed;
    // called in the connect handler: a paused socket keeps the first frames until the features are
    // attached (a socket without a handler would drop them)
    socket.pause();
  }

  public String clientId() {
    return clientId;
  }

  /**
   * Attaches to the features, then starts reading frames; call on the connection's context. Fails
   * (after telling the client why) when a feature does not answer.
   */
  public Future<Void> start() {
    writer = new FairFrameWriter(socket, context);
    out = new ClientWriter(writer, closed::get);
    socket.closeHandler(v -> cleanup("client disconnected"));
    socket.exceptionHandler(e -> log.debug("[{}] socket error: {}", label, e.toString()));
    // a connection that never says HELLO would keep the agent alive forever (it counts as a client)
    context
        .owner()
        .setTimer(
            HELLO_TIMEOUT_MS,
            t -> {
              if (!greeted && !closed.get()) {
                fail("no HELLO within " + HELLO_TIMEOUT_MS / 1000 + " s");
              }
            });
    var attach = new AgentMessages.Attach(clientId, label, this);
    Future<FileSession> f = attach(AgentAddresses.LOCAL_FILES_ATTACH, attach);
    Future<OutgoingService> o = attach(AgentAddresses.LOCAL_OUTGOING_ATTACH, attach);
    Future<DnsLookups> d = attach(AgentAddresses.LOCAL_DNS_ATTACH, attach);
    Future<EnvironmentLookups> e = attach(AgentAddresses.LOCAL_ENVIRONMENT_ATTACH, attach);
    return Future.all(f, o, d, e)
        .<Void>map(
            all -> {
              files = f.result();
              outgoing = o.result();
              dns = d.result();
              environment = e.result();
              incoming = new IncomingSession(clientId, label, this, bus, targetless);
              if (!closed.get()) { // a client gone while attaching stays out of the directory
                incomingClients.add(clientId, incoming, incoming);
                readFrames();
              }
              return null;
            })
        .onFailure(err -> fail("agent features unavailable: " + err.getMessage()));
  }

  private <T> Future<T> attach(String address, AgentMessages.Attach attach) {
    return bus.<T>request(address, attach).map(io.vertx.core.eventbus.Message::body);
  }

  private void readFrames() {
    FrameDecoder decoder = new FrameDecoder(this::onFrame);
    socket.handler(
        buf -> {
          if (closed.get()) {
            return;
          }
          try {
            decoder.feed(buf);
          } catch (ProtocolException e) {
            fail("protocol error: " + e.getMessage());
          }
        });
    socket.resume();
  }

  private void onFrame(Frame frame) {
    if (closed.get()) {
      return;
    }
    Message m;
    try {
      m = MessageCodec.decode(frame);
    } catch (MessageCodec.UnknownMessageException e) {
      if (!greeted) {
        fail(
            "first frame must be HELLO, got unknown type " + String.format("0x%04X", frame.type()));
      } else if (frame.requestId() != 0) {
        send(new Control.ErrorReply(Errno.ENOSYS, e.getMessage()), frame.requestId());
      }
      return;
    }
    if (!gate.passed()) {
      try {
        send(gate.beforePassed(m), frame.requestId());
      } catch (AuthGate.AuthRefusedException e) {
        refuse(e.getMessage(), frame.requestId());
      }
      return;
    }
    if (!greeted) {
      if (m instanceof Auth.Request) {
        send(gate.noSecretReply(), frame.requestId()); // a client that expected our secret
        return;
      }
      if (m instanceof Control.Ping && frame.requestId() != 0) {
        // a heartbeat that crossed the handshake on a slow link: proven clients get their pong
        send(new Control.Pong(), frame.requestId());
        return;
      }
      greet(m, frame.requestId());
      return;
    }
    dispatch(m, frame.requestId());
  }

  private void greet(Message m, int id) {
    if (!(m instanceof Control.Hello hello)) {
      fail("first frame must be HELLO, got " + MessageTypes.name(m.type()));
      return;
    }
    if (hello.major() != ProtocolVersion.MAJOR) {
      send(
          new Control.ErrorReply(
              Errno.EPROTO,
              "protocol "
                  + hello.major()
                  + "."
                  + hello.minor()
                  + " is not supported; this agent speaks "
                  + ProtocolVersion.text()),
          id);
      fail(
          "client speaks protocol "
              + hello.major()
              + "."
              + hello.minor()
              + ", agent "
              + ProtocolVersion.text());
      return;
    }
    greeted = true;
    onGreeted.run();
    log.info(
        "[{}] client '{}' connected (protocol {}.{})",
        label,
        hello.clientName(),
        hello.major(),
        hello.minor());
    send(
        new Control.HelloOk(ProtocolVersion.MAJOR, ProtocolVersion.MINOR, version, targetless), id);
  }

  private void dispatch(Message m, int id) {
    if (m instanceof Control.Ping) {
      send(new Control.Pong(), id);
    } else if (m instanceof Control.Pong || m instanceof Control.Hello) {
      // a late pong needs nothing; a second hello is ignored
    } else if (FileRequestExecutor.handles(m)) {
      files.submit(m, id, this);
    } else if (m instanceof Lookups.GetEnv e) {
      reply(environment.env(e), id);
    } else if (m instanceof Lookups.GetHostname) {
      reply(environment.hostname(), id);
    } else if (m instanceof Lookups.Resolve r) {
      reply(dns.resolve(r), id);
    } else if (m instanceof Lookups.Reverse r) {
      reply(dns.reverse(r), id);
    } else if (m instanceof Net.Connect c) {
      outgoing.connect(c, id);
    } else if (m instanceof Net.Data d) {
      outgoing.data(d);
    } else if (m instanceof Net.Credit c) {
      outgoing.credit(c);
    } else if (m instanceof Net.Shutdown s) {
      outgoing.shutdown(s);
    } else if (m instanceof Net.Close c) {
      outgoing.close(c);
    } else if (IncomingSession.handles(m)) {
      incoming.handle(m, id);
    } else if (id != 0) {
      send(
          new Control.ErrorReply(
              Errno.ENOSYS, MessageTypes.name(m.type()) + " is not a request the agent serves"),
          id);
    }
  }

  private void reply(Future<Message> answer, int id) {
    answer.onSuccess(reply -> send(reply, id));
  }

  @Override
  public void send(Message message, int requestId) {
    out.send(message, requestId);
  }

  @Override
  public void awaitFetchRoom(int requestId) throws InterruptedException {
    out.awaitFetchRoom(requestId);
  }

  /**
   * Runs once the client is a client: it proved the secret (if the agent has one) and its HELLO was
   * accepted. A connection refused before that is nobody's session: it must not count for the
   * agent's lifetime, or anyone reaching the port could end an agent by connecting and leaving.
   */
  public void onGreeted(Runnable action) {
    this.onGreeted = action;
  }

  /** Whether the client got as far as a HELLO the agent accepted. */
  public boolean greeted() {
    return greeted;
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  /** A client that did not prove the secret: told why, logged with its address, closed. */
  private void refuse(String reason, int requestId) {
    log.warn("[{}] refused client {}: {}", label, socket.remoteAddress(), reason);
    send(new Control.ErrorReply(Errno.EACCES, reason), requestId);
    fail("not authenticated: " + reason);
  }

  /** Tells the client why and closes its connection; nobody else is affected. */
  public void fail(String reason) {
    log.warn("[{}] closing connection: {}", label, reason);
    send(new Control.Goodbye(reason), 0);
    socket.close();
    cleanup(reason);
  }

  private void cleanup(String reason) {
    if (closed.compareAndSet(false, true)) {
      writer.close();
      log.info("[{}] session ended: {}", label, reason);
      if (incoming != null) {
        incoming.closeAll();
      }
      incomingClients.remove(clientId);
      // files, outgoing streams, subscriptions and rules are released by their verticles
      bus.publish(AgentAddresses.CLIENT_GONE, new AgentMessages.ClientGone(clientId, reason));
      onClosed.run();
    }
  }
}
