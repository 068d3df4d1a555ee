package dev.mirrordj.protocol.client;

import dev.mirrordj.protocol.Auth;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.FairFrameWriter;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.FrameDecoder;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.MessageTypes;
import dev.mirrordj.protocol.Net;
import dev.mirrordj.protocol.ProtocolException;
import dev.mirrordj.protocol.ProtocolVersion;
import dev.mirrordj.protocol.auth.SharedSecret;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client side of the agent protocol: one TCP connection, many requests in flight, heartbeat, and
 * loud failure. All state lives on the Vert.x context that called {@link #connect}; public methods
 * may be called from any thread.
 */
public final class AgentClient {
  private static final Logger log = LoggerFactory.getLogger(AgentClient.class);

  private final Context ctx;
  private NetClient netClient; // held only so the GC cannot close the connection (see connect)
  private final NetSocket socket;
  private final AgentClientOptions options;
  private final String label;
  private final FairFrameWriter writer;
  private final PendingRequests pending = new PendingRequests();
  private final Map<Long, OutgoingStream> streams = new HashMap<>();
  private java.util.function.Consumer<Message> incomingHandler;
  private final Promise<Void> lostPromise = Promise.promise();
  private volatile AgentLostException lost;
  private Control.HelloOk hello;
  private long nextConnId = 1;
  private long lastReceivedNanos = System.nanoTime();
  private long heartbeatTimer = -1;

  private AgentClient(Context ctx, NetSocket socket, AgentClientOptions options, String label) {
    this.ctx = ctx;
    this.socket = socket;
    this.options = options;
    this.label = label;
    this.writer = new FairFrameWriter(socket, ctx);
  }

  /** Connects, performs the version handshake and starts the heartbeat. */
  public static Future<AgentClient> connect(
      Vertx vertx, String host, int port, AgentClientOptions options) {
    Context ctx = vertx.getOrCreateContext();
    Promise<AgentClient> result = Promise.promise();
    ctx.runOnContext(
        v -> {
          NetClient net =
              vertx.createNetClient(
                  new NetClientOptions()
                      .setConnectTimeout((int) options.connectTimeout().toMillis())
                      .setTcpNoDelay(true));
          net.connect(port, host)
              .compose(
                  sock -> {
                    AgentClient c = new AgentClient(ctx, sock, options, host + ":" + port);
                    c.netClient =
                        net; // Vert.x closes a garbage-collected NetClient's connections: keep it
                    // reachable
                    c.start();
                    // a refused handshake must not leave the connection open
                    return c.handshake().map(c).onFailure(e -> c.close());
                  })
              .onComplete(result);
        });
    return result.future();
  }

  private void start() {
    FrameDecoder decoder = new FrameDecoder(this::onFrame);
    socket.handler(
        buf -> {
          lastReceivedNanos = System.nanoTime();
          try {
            decoder.feed(buf);
          } catch (ProtocolException e) {
            lose("protocol error from agent: " + e.getMessage());
          }
        });
    socket.closeHandler(v -> lose("connection closed by the agent"));
    socket.exceptionHandler(e -> lose("connection error: " + e.getMessage()));
  }

  private void startHeartbeat() {
    if (lost == null) {
      heartbeatTimer =
          ctx.owner().setPeriodic(options.heartbeatInterval().toMillis(), t -> heartbeat());
    }
  }

  private Future<Void> handshake() {
    // the heartbeat's pings start once the secret is proven: a server serves nothing, pings
    // included, before that
    return authenticate()
        .onSuccess(v -> startHeartbeat())
        .compose(
            v ->
                options.preamble() == null
                    ? Future.succeededFuture()
                    : request(options.preamble(), Control.Ok.class).mapEmpty())
        .compose(v -> versionHandshake());
  }

  /** Proves the secret first, when there is one: the peer serves nothing before that. */
  private Future<Void> authenticate() {
    SharedSecret secret = options.secret();
    if (secret == null) {
      return Future.succeededFuture();
    }
    return request(new Auth.Request(), Auth.Challenge.class)
        .compose(
            challenge ->
                request(
                    new Auth.Proof(
                        Buffer.buffer(
                            secret.proof(challenge.nonce().getBytes(), challenge.context()))),
                    Control.Ok.class))
        .mapEmpty();
  }

  private Future<Void> versionHandshake() {
    return request(
            new Control.Hello(ProtocolVersion.MAJOR, ProtocolVersion.MINOR, options.clientName()),
            Control.HelloOk.class)
        .map(
            ok -> {
              hello = ok;
              log.debug(
                  "[agent {}] connected: agent {} protocol {}.{} targetless={}",
                  label,
                  ok.agentVersion(),
                  ok.major(),
                  ok.minor(),
                  ok.targetless());
              return null;
            });
  }

  private void heartbeat() {
    long silentMs = (System.nanoTime() - lastReceivedNanos) / 1_000_000;
    if (silentMs > options.heartbeatTimeout().toMillis()) {
      lose(
          "no frame from the agent for "
              + silentMs
              + " ms (heartbeat timeout "
              + options.heartbeatTimeout().toMillis()
              + " ms)");
    } else {
      request(new Control.Ping());
    }
  }

  /** The context this client's state lives on and its streams' handlers run on. */
  public Context context() {
    return ctx;
  }

  /** What the agent said in its handshake reply. */
  public Control.HelloOk hello() {
    return hello;
  }

  /** Completes (failed, with the {@link AgentLostException}) when the agent is lost. */
  public Future<Void> lost() {
    return lostPromise.future();
  }

  /**
   * Sends a request; completes with its reply, fails with {@link RemoteErrnoException} or {@link
   * AgentLostException}.
   */
  public Future<Message> request(Message message) {
    Promise<Message> p = Promise.promise();
    onContext(
        () ->
            send(
                message,
                reply -> {
                  complete(p, reply);
                  return true;
                },
                p));
    return p.future();
  }

  /** Like {@link #request(Message)} but checks the reply type. */
  public <T extends Message> Future<T> request(Message message, Class<T> replyType) {
    return request(message)
        .compose(
            reply ->
                replyType.isInstance(reply)
                    ? Future.succeededFuture(replyType.cast(reply))
                    : Future.failedFuture(
                        new ProtocolException(
                            "expected "
                                + replyType.getSimpleName()
                                + " in reply to "
                                + message.getClass().getSimpleName()
                                + ", got "
                                + reply.getClass().getSimpleName())));
  }

  /** One heartbeat round trip; completes with the round-trip time in nanoseconds. */
  public Future<Long> ping() {
    // timed on this client's context, from the write to the reply: the hand-over from a caller's
    // thread is the caller's cost, not the agent's round trip
    Promise<Long> rtt = Promise.promise();
    onContext(
        () -> {
          long start = System.nanoTime();
          request(new Control.Ping(), Control.Pong.class)
              .onComplete(
                  ar -> {
                    if (ar.succeeded()) {
                      rtt.tryComplete(System.nanoTime() - start);
                    } else {
                      rtt.tryFail(ar.cause());
                    }
                  });
        });
    return rtt.future();
  }

  /** Fetches a whole file in chunks and joins them. */
  public Future<Buffer> fetchFile(String path) {
    return fetchFile(path, 0);
  }

  /**
   * Fetches a whole file in chunks of at most {@code chunkBytes} (0: the agent's default) and joins
   * them.
   */
  public Future<Buffer> fetchFile(String path, int chunkBytes) {
    Promise<Buffer> p = Promise.promise();
    Buffer whole = Buffer.buffer();
    onContext(
        () ->
            send(
                new Files.Fetch(path, chunkBytes),
                reply -> {
                  if (reply instanceof Files.Chunk chunk) {
                    whole.appendBuffer(chunk.data());
                    if (chunk.last()) {
                      p.tryComplete(whole);
                    }
                    return chunk.last();
                  }
                  complete(p, reply);
                  return true;
                },
                p));
    return p.future();
  }

  /** Opens an outgoing TCP, UDP or unix-stream connection from the target. */
  public Future<OutgoingStream> connect(int kind, String host, int port) {
    Promise<OutgoingStream> p = Promise.promise();
    onContext(
        () -> {
          long id = nextConnId++;
          OutgoingStream s = new OutgoingStream(this, id, kind);
          streams.put(id, s);
          send(
              new Net.Connect(id, kind, host, port),
              reply -> {
                if (reply instanceof Net.Connected c) {
                  s.connected(c);
                  p.tryComplete(s);
                } else {
                  streams.remove(id);
                  complete(p, reply);
                }
                return true;
              },
              p);
        });
    return p.future();
  }

  /** Closes the connection; pending requests fail with {@link AgentLostException}. */
  public Future<Void> close() {
    onContext(() -> lose("closed by this client"));
    return socket.close().recover(e -> Future.succeededFuture());
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Promise<T> p, Message reply) {
    if (reply instanceof Control.ErrorReply err) {
      p.tryFail(new RemoteErrnoException(err.errno(), err.message()));
    } else {
      p.tryComplete((T) reply);
    }
  }

  private void send(Message m, Function<Message, Boolean> onReply, Promise<?> failer) {
    if (lost != null) {
      failer.tryFail(lost);
      return;
    }
    int id = pending.add(onReply, failer);
    write(m, id);
  }

  /** Receives unsolicited incoming-traffic notices (0x04xx), on this client's context. */
  public AgentClient incomingHandler(java.util.function.Consumer<Message> handler) {
    this.incomingHandler = handler;
    return this;
  }

  /** Sends a frame that answers nothing (request id 0), e.g. incoming-traffic data. */
  public void notice(Message m) {
    write(m, 0);
  }

  void write(Message m, int requestId) {
    if (lost != null) {
      return;
    }
    if (m instanceof Net.Data d) {
      writer.stream(d.connId(), m.toWire(requestId));
    } else if (m instanceof Net.Shutdown s) {
      writer.stream(s.connId(), m.toWire(requestId));
    } else if (m instanceof Net.Close c) {
      writer.stream(c.connId(), m.toWire(requestId));
    } else {
      writer.urgent(m.toWire(requestId));
    }
  }

  void forgetStream(long connId) {
    streams.remove(connId);
  }

  void onContext(Runnable r) {
    if (Vertx.currentContext() == ctx) {
      r.run();
    } else {
      ctx.runOnContext(v -> r.run());
    }
  }

  private void onFrame(Frame frame) {
    Message m;
    try {
      m = MessageCodec.decode(frame);
    } catch (MessageCodec.UnknownMessageException e) {
      log.warn("[agent {}] ignoring {}", label, e.getMessage());
      return;
    } catch (ProtocolException e) {
      lose("malformed frame from agent: " + e.getMessage());
      return;
    }
    if (frame.requestId() != 0) {
      if (m instanceof Control.Ping) {
        write(new Control.Pong(), frame.requestId());
      } else if (!pending.reply(frame.requestId(), m)) {
        log.warn(
            "[agent {}] reply for unknown request {} ({})",
            label,
            frame.requestId(),
            m.getClass().getSimpleName());
      }
      return;
    }
    if (m instanceof Control.Goodbye bye) {
      lose("agent closed the session: " + bye.reason());
    } else if (m instanceof Control.Notice notice) {
      options.noticeHandler().accept(notice.text());
    } else if (incomingHandler != null
        && m.type() >= MessageTypes.INCOMING_FIRST
        && m.type() <= MessageTypes.INCOMING_LAST) {
      incomingHandler.accept(m); // incoming traffic notices (dev.mirrordj.protocol.incoming)
    } else if (m instanceof Net.Data d) {
      withStream(d.connId(), s -> s.onData(d.data()));
    } else if (m instanceof Net.Credit c) {
      withStream(c.connId(), s -> s.onCredit(c.bytes()));
    } else if (m instanceof Net.Shutdown sh) {
      withStream(sh.connId(), OutgoingStream::onShutdown);
    } else if (m instanceof Net.Close c) {
      withStream(c.connId(), s -> s.onClose(c.errno()));
    } else {
      log.warn("[agent {}] unexpected unsolicited {}", label, m.getClass().getSimpleName());
    }
  }

  private void withStream(long connId, java.util.function.Consumer<OutgoingStream> action) {
    OutgoingStream s = streams.get(connId);
    if (s != null) {
      action.accept(s);
    }
  }

  private void lose(String reason) {
    if (lost != null) {
      return;
    }
    lost = new AgentLostException(reason);
    if (!reason.equals("closed by this client")) {
      log.error("[agent {}] {}", label, lost.getMessage());
    }
    if (heartbeatTimer >= 0) {
      ctx.owner().cancelTimer(heartbeatTimer);
    }
    pending.failAll(lost);
    for (OutgoingStream s : new ArrayList<>(streams.values())) {
      s.onClose(dev.mirrordj.protocol.Errno.ECONNABORTED);
    }
    streams.clear();
    lostPromise.tryFail(lost);
    writer.close();
    socket.close();
  }
}
