package dev.mirrordj.verticles.cluster;

import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.FrameDecoder;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.MessageTypes;
import dev.mirrordj.protocol.ProtocolException;
import dev.mirrordj.protocol.auth.AuthGate;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to the session port. Its first frame says what it is: {@code OperatorHello}
 * opens a {@link RelayedSession}; {@code OperatorCommand} is answered (status, kill) and the
 * connection closed. Anything else, a malformed frame or silence for 10 s closes this connection
 * alone, with the reason.
 */
final class OperatorConnection {
  private static final Logger log = LoggerFactory.getLogger(OperatorConnection.class);
  private static final long FIRST_FRAME_MS = 10_000;

  /** What a client's proof is bound to: a proof made for an agent is worth nothing here. */
  static final String PROOF_CONTEXT = "mirrordj operator";

  private final Vertx vertx;
  private final NetSocket socket;
  private final NetClient agentClient;
  private final TargetAgents agents;
  private final SessionTargetPreparation preparation;
  private final AuthGate gate;
  private RelayedSession session;
  private boolean answered;
  private long firstFrameTimer;

  OperatorConnection(
      Vertx vertx,
      NetSocket socket,
      NetClient agentClient,
      TargetAgents agents,
      SessionTargetPreparation preparation,
      AuthGate gate) {
    this.gate = gate;
    this.vertx = vertx;
    this.socket = socket;
    this.agentClient = agentClient;
    this.agents = agents;
    this.preparation = preparation;
  }

  void start() {
    FrameDecoder decoder = new FrameDecoder(this::onFrame);
    socket.handler(
        buf -> {
          try {
            decoder.feed(buf);
          } catch (ProtocolException e) {
            log.warn("[client {}] closed: {}", socket.remoteAddress(), e.getMessage());
            if (session != null) session.end("protocol error: " + e.getMessage());
            else socket.close();
          }
        });
    socket.closeHandler(
        v -> {
          vertx.cancelTimer(firstFrameTimer);
          if (session != null) session.clientClosed();
        });
    firstFrameTimer =
        vertx.setTimer(
            FIRST_FRAME_MS,
            t -> {
              if (!answered) refuse(0, "no OperatorHello or OperatorCommand within 10 s");
            });
  }

  private void onFrame(Frame frame) {
    if (session != null) {
      session.fromClient(frame);
      return;
    }
    if (answered) return; // a command's connection: nothing more is read
    Message first;
    try {
      first = MessageCodec.decode(frame);
    } catch (RuntimeException e) {
      answered = true;
      vertx.cancelTimer(firstFrameTimer);
      refuse(frame.requestId(), "malformed first frame: " + e.getMessage());
      return;
    }
    if (!gate.passed()) {
      try {
        socket.write(gate.beforePassed(first).toWire(frame.requestId()));
      } catch (AuthGate.AuthRefusedException e) {
        answered = true;
        vertx.cancelTimer(firstFrameTimer);
        log.warn("[client {}] refused: {}", socket.remoteAddress(), e.getMessage());
        socket.write(
            new Control.ErrorReply(Errno.EACCES, e.getMessage()).toWire(frame.requestId()));
        socket.end();
      }
      return;
    }
    if (first instanceof dev.mirrordj.protocol.Auth.Request) {
      socket.write(gate.noSecretReply().toWire(frame.requestId()));
      return;
    }
    answered = true;
    vertx.cancelTimer(firstFrameTimer);
    if (first instanceof Control.OperatorHello hello) {
      session =
          new RelayedSession(
              vertx, socket, agentClient, agents, preparation, hello, frame.requestId());
      session.start();
    } else if (first instanceof Control.OperatorCommand command) {
      command(frame.requestId(), command);
    } else {
      refuse(
          frame.requestId(),
          "this is a mirrord operator: the first frame must be OperatorHello or OperatorCommand, not "
              + MessageTypes.name(frame.type()));
    }
  }

  private void command(int requestId, Control.OperatorCommand command) {
    String address =
        switch (command.command()) {
          case "status" -> OperatorAddresses.STATUS;
          case "kill" -> OperatorAddresses.SESSION_KILL;
          default -> null;
        };
    if (address == null) {
      refuse(requestId, "unknown operator command '" + command.command() + "' (status, kill)");
      return;
    }
    vertx
        .eventBus()
        .<JsonObject>request(address, new JsonObject().put("id", command.argument()))
        .onSuccess(
            reply -> {
              socket.write(new Control.OperatorResult(reply.body().encode()).toWire(requestId));
              socket.end();
            })
        .onFailure(
            e -> {
              int errno =
                  e instanceof ReplyException re && re.failureCode() == 404
                      ? Errno.ENOENT
                      : Errno.EIO;
              socket.write(new Control.ErrorReply(errno, e.getMessage()).toWire(requestId));
              socket.end();
            });
  }

  private void refuse(int requestId, String reason) {
    log.warn("[client {}] refused: {}", socket.remoteAddress(), reason);
    socket.write(new Control.ErrorReply(Errno.EPROTO, reason).toWire(requestId));
    socket.end();
  }
}
