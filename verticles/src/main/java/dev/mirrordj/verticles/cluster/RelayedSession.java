package dev.mirrordj.verticles.cluster;

import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.FrameDecoder;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.MessageTypes;
import dev.mirrordj.protocol.ProtocolException;
import dev.mirrordj.protocol.auth.SocketProver;
import dev.mirrordj.protocol.incoming.Incoming;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user's session: prepares the target, acquires its shared agent, opens a connection of its own
 * to it (the agent keeps each connection's subscriptions apart) and relays frames both ways. Frames
 * pass through untouched except port subscriptions, which first ask the {@link ClusterVerticle} for
 * the port under the session's {@code on_concurrent_steal}: granted ones go on to the agent,
 * refused ones are answered here ({@code EADDRINUSE} with the holder named; with the default {@code
 * abort} the session then ends). Client frames are handled in order: while a claim is pending,
 * later frames wait behind it.
 */
final class RelayedSession {
  private static final Logger log = LoggerFactory.getLogger(RelayedSession.class);
  private static final Set<String> MODES = Set.of("abort", "continue", "override");

  /** How long an overriding subscribe retries while the agent still releases the former holder. */
  private static final int OVERRIDE_RETRIES = 50;

  private static final long OVERRIDE_RETRY_MS = 100;

  private final Vertx vertx;
  private final NetSocket client;
  private final NetClient agentClient;
  private final TargetAgents agents;
  private final SessionTargetPreparation preparation;
  private final Control.OperatorHello hello;
  private final int helloRequestId;
  private final String id;
  private final ArrayDeque<Frame> waiting = new ArrayDeque<>();
  private final Map<Integer, PendingSubscribe> subscribes = new HashMap<>();
  private NetSocket agent;
  private MessageConsumer<JsonObject> endConsumer;
  private Future<AgentTarget> prepared; // set once preparation started: its undo waits for it
  private boolean claiming;
  private boolean recorded; // in the sessions map: its end must remove it
  private boolean opened; // relaying
  private boolean ended;

  /** A subscribe sent to the agent, waiting for its reply. */
  private record PendingSubscribe(Frame frame, int port, boolean overriding, int attempt) {}

  RelayedSession(
      Vertx vertx,
      NetSocket client,
      NetClient agentClient,
      TargetAgents agents,
      SessionTargetPreparation preparation,
      Control.OperatorHello hello,
      int helloRequestId) {
    this.vertx = vertx;
    this.client = client;
    this.agentClient = agentClient;
    this.agents = agents;
    this.preparation = preparation;
    this.hello = hello;
    this.helloRequestId = helloRequestId;
    this.id = hello.sessionId().isBlank() ? UUID.randomUUID().toString() : hello.sessionId();
  }

  void start() {
    String mode = hello.onConcurrentSteal().isEmpty() ? "abort" : hello.onConcurrentSteal();
    if (!MODES.contains(mode)) {
      refuse("on_concurrent_steal '" + mode + "' is not one of continue, override (or unset)");
      return;
    }
    if (hello.osUser().isBlank()) {
      refuse("the session names no user");
      return;
    }
    SessionRequest request;
    try {
      request = request();
    } catch (IllegalArgumentException e) {
      refuse(e.getMessage());
      return;
    }
    prepared = preparation.prepare(request);
    prepared
        .compose(agents::acquire)
        .compose(
            address ->
                agentClient
                    .connect(address.port(), address.host())
                    .compose(
                        socket -> {
                          agent = socket;
                          // the operator proves the agent's secret itself; its users never see it
                          return address.secret() == null
                              ? Future.succeededFuture(socket)
                              : SocketProver.prove(socket, address.secret()).map(socket);
                        }))
        .compose(
            socket -> {
              AgentTarget served = prepared.result();
              JsonObject record =
                  new JsonObject()
                      .put("id", id)
                      .put("user", hello.osUser())
                      .put("display_name", hello.displayName())
                      .put("target", hello.target())
                      .put("namespace", served.namespace())
                      .put("agent_target", served.key())
                      .put("on_concurrent_steal", mode);
              if (!served.path().equals(hello.target())) record.put("copy", served.path());
              return vertx.eventBus().<JsonObject>request(OperatorAddresses.SESSION_OPEN, record);
            })
        .compose(
            reply -> {
              recorded = true;
              endConsumer =
                  vertx
                      .eventBus()
                      .consumer(
                          OperatorAddresses.sessionEnd(id),
                          m ->
                              end(m.body().getString("reason"))
                                  .onComplete(ar -> m.reply(new JsonObject().put("ended", id))));
              return endConsumer.completion();
            })
        .onSuccess(v -> relay())
        .onFailure(
            e -> refuse("cannot open the session on " + hello.target() + ": " + e.getMessage()));
  }

  /** The session's request, from the hello and its target options (JSON). */
  private SessionRequest request() {
    JsonObject options;
    try {
      options =
          hello.targetOptions().isBlank()
              ? new JsonObject()
              : new JsonObject(hello.targetOptions());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "the session's target options are not a JSON object: " + hello.targetOptions());
    }
    String owner =
        hello.displayName().isBlank()
            ? hello.osUser()
            : hello.osUser() + " (" + hello.displayName() + ")";
    boolean copy = options.getBoolean("copy_target", false);
    return new SessionRequest(
        id,
        owner,
        new AgentTarget(hello.target(), options.getString("namespace", "")),
        copy,
        copy && options.getBoolean("scale_down", false),
        Duration.ofSeconds(options.getInteger("startup_timeout", 60)));
  }

  private void relay() {
    if (ended) return;
    opened = true;
    FrameDecoder fromAgent = new FrameDecoder(this::fromAgent);
    agent.handler(
        buf -> {
          try {
            fromAgent.feed(buf);
          } catch (ProtocolException e) {
            end("protocol error from the agent: " + e.getMessage());
          }
        });
    agent.closeHandler(v -> end("the agent for " + hello.target() + " closed the connection"));
    agent.resume(); // paused after the secret was proven
    backpressure(agent, client);
    backpressure(client, agent);
    client.write(new Control.Ok().toWire(helloRequestId));
    client.resume();
    log.info(
        "[session {}] {} relayed to the agent of {} ({})",
        id,
        hello.osUser(),
        hello.target(),
        agent.remoteAddress());
    drain();
  }

  /** The writer's full queue pauses the reader. */
  private static void backpressure(NetSocket reader, NetSocket writer) {
    writer.drainHandler(v -> reader.resume());
  }

  private void write(NetSocket to, NetSocket from, Buffer bytes) {
    to.write(bytes);
    if (to.writeQueueFull()) from.pause();
  }

  void fromClient(Frame frame) {
    if (!opened && frame.type() == MessageTypes.PING && frame.requestId() != 0) {
      // the client's heartbeat while its agent starts: answered here, or the client gives up
      client.write(new Control.Pong().toWire(frame.requestId()));
      return;
    }
    waiting.add(frame);
    if (opened) drain();
  }

  private void drain() {
    while (!claiming && !ended && !waiting.isEmpty()) {
      Frame f = waiting.poll();
      if (f.type() == Incoming.PORT_SUBSCRIBE) {
        claim(f);
      } else {
        if (f.type() == Incoming.PORT_UNSUBSCRIBE) release(f);
        write(agent, client, f.toBuffer());
      }
    }
  }

  private void claim(Frame frame) {
    Incoming.Subscribe s;
    try {
      s = (Incoming.Subscribe) MessageCodec.decode(frame);
    } catch (RuntimeException e) {
      end("malformed subscribe: " + e.getMessage());
      return;
    }
    claiming = true;
    String filter =
        s.filter() != null
            ? s.filter().toString()
            : s.headerFilter().isEmpty() && s.pathFilter().isEmpty()
                ? ""
                : (s.headerFilter().isEmpty() ? "" : "header " + s.headerFilter())
                    + (s.headerFilter().isEmpty() || s.pathFilter().isEmpty() ? "" : ", ")
                    + (s.pathFilter().isEmpty() ? "" : "path " + s.pathFilter());
    JsonObject claim =
        new JsonObject()
            .put("session", id)
            .put("port", s.port())
            .put("mode", s.mode() == Incoming.MODE_STEAL ? "steal" : "mirror")
            .put("filter", filter);
    vertx
        .eventBus()
        .<JsonObject>request(OperatorAddresses.PORT_CLAIM, claim)
        .onComplete(
            ar -> {
              claiming = false;
              if (ended) return;
              if (ar.failed()) {
                reply(
                    frame,
                    Errno.EIO,
                    "the operator could not check port "
                        + s.port()
                        + ": "
                        + ar.cause().getMessage());
              } else {
                JsonObject outcome = ar.result().body();
                switch (outcome.getString("outcome")) {
                  case "granted", "overrode" -> {
                    boolean overriding = "overrode".equals(outcome.getString("outcome"));
                    if (overriding) {
                      client.write(
                          new Control.Notice(
                                  "mirrord: port "
                                      + s.port()
                                      + " of "
                                      + hello.target()
                                      + " taken over from "
                                      + outcome.getString("holder_user")
                                      + " (session "
                                      + outcome.getString("holder_session")
                                      + ")")
                              .toWire(0));
                    }
                    subscribes.put(
                        frame.requestId(), new PendingSubscribe(frame, s.port(), overriding, 0));
                    write(agent, client, frame.toBuffer());
                  }
                  case "continue" -> reply(frame, Errno.EADDRINUSE, outcome.getString("message"));
                  default -> {
                    String message = outcome.getString("message");
                    reply(frame, Errno.EADDRINUSE, message);
                    end(message);
                    return;
                  }
                }
              }
              drain();
            });
  }

  private void reply(Frame request, int errno, String message) {
    client.write(new Control.ErrorReply(errno, message).toWire(request.requestId()));
  }

  private void release(Frame frame) {
    try {
      Incoming.Unsubscribe u = (Incoming.Unsubscribe) MessageCodec.decode(frame);
      releasePort(u.port());
    } catch (RuntimeException e) {
      log.debug("[session {}] undecodable unsubscribe passed on: {}", id, e.toString());
    }
  }

  private void releasePort(int port) {
    vertx
        .eventBus()
        .request(
            OperatorAddresses.PORT_RELEASE, new JsonObject().put("session", id).put("port", port));
  }

  private void fromAgent(Frame frame) {
    PendingSubscribe pending =
        frame.requestId() != 0
                && (frame.type() == MessageTypes.OK || frame.type() == MessageTypes.ERROR)
            ? subscribes.remove(frame.requestId())
            : null;
    if (pending != null && frame.type() == MessageTypes.ERROR) {
      Control.ErrorReply err = (Control.ErrorReply) MessageCodec.decode(frame);
      if (pending.overriding()
          && err.errno() == Errno.EADDRINUSE
          && pending.attempt() < OVERRIDE_RETRIES) {
        // the agent is still releasing the former holder's connection
        subscribes.put(
            frame.requestId(),
            new PendingSubscribe(pending.frame(), pending.port(), true, pending.attempt() + 1));
        vertx.setTimer(
            OVERRIDE_RETRY_MS,
            t -> {
              if (!ended) agent.write(pending.frame().toBuffer());
            });
        return;
      }
      log.info("[session {}] the agent refused port {}: {}", id, pending.port(), err.message());
      releasePort(pending.port());
    } else if (pending != null) {
      log.info("[session {}] the agent took port {}", id, pending.port());
    }
    write(client, agent, frame.toBuffer());
  }

  /** The client went away: the session ends quietly. */
  void clientClosed() {
    cleanup("the client disconnected");
  }

  /** Ends the session and tells the user why; completes once the agent connection is closed. */
  Future<Void> end(String reason) {
    if (ended) return Future.succeededFuture();
    log.info("[session {}] of {} ends: {}", id, hello.osUser(), reason);
    if (opened) client.write(new Control.Notice("mirrord: " + reason).toWire(0));
    client.write(new Control.Goodbye(reason).toWire(0));
    client.end();
    return cleanup(reason);
  }

  private Future<Void> cleanup(String why) {
    if (ended) return Future.succeededFuture();
    ended = true;
    Future<Void> agentClosed = agent == null ? Future.succeededFuture() : agent.close();
    if (endConsumer != null) endConsumer.unregister();
    log.debug("[session {}] cleanup: {}", id, why);
    Future<Void> closed =
        !recorded
            ? agentClosed
            : agentClosed
                .recover(e -> Future.succeededFuture())
                .compose(
                    v ->
                        vertx
                            .eventBus()
                            .request(
                                OperatorAddresses.SESSION_CLOSE, new JsonObject().put("id", id)))
                .mapEmpty();
    if (prepared == null) return closed;
    // a copy or a scaled-down deployment is undone only once its preparation has finished
    return closed
        .transform(ar -> prepared.transform(p -> preparation.release(id)))
        .onFailure(e -> log.warn("[session {}] could not undo its target preparation: {}", id, e));
  }

  private void refuse(String reason) {
    log.warn("[session {}] of {} refused: {}", id, hello.osUser(), reason);
    client.write(new Control.ErrorReply(Errno.EIO, reason).toWire(helloRequestId));
    client.end();
    cleanup(reason);
  }
}
