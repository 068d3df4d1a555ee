package dev.mirrordj.protocol.auth;

import dev.mirrordj.protocol.Auth;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.FrameDecoder;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Proves a secret on a raw connection that will then carry relayed frames (an operator's connection
 * to an agent): request a challenge, answer it, wait for the OK. The socket is left paused with no
 * handler, so that nothing the relay must see is read here.
 */
public final class SocketProver {
  private static final int CHALLENGE_ID = 1;
  private static final int PROOF_ID = 2;

  private SocketProver() {}

  /** Completes once the server accepted the proof; fails (socket untouched) otherwise. */
  public static Future<Void> prove(NetSocket socket, SharedSecret secret) {
    Promise<Void> done = Promise.promise();
    FrameDecoder decoder =
        new FrameDecoder(
            frame -> {
              try {
                onFrame(socket, secret, frame, done);
              } catch (ProtocolException e) {
                done.tryFail(e);
              }
            });
    socket.handler(
        buf -> {
          try {
            decoder.feed(buf);
          } catch (ProtocolException e) {
            done.tryFail(e);
          }
        });
    socket.closeHandler(v -> done.tryFail(new ProtocolException("closed during the challenge")));
    socket.write(new Auth.Request().toWire(CHALLENGE_ID));
    return done.future()
        .andThen(
            ar -> {
              socket.pause();
              socket.handler(null);
              socket.closeHandler(null);
            });
  }

  private static void onFrame(NetSocket socket, SharedSecret secret, Frame f, Promise<Void> done) {
    Message m = MessageCodec.decode(f);
    if (m instanceof Auth.Challenge c && f.requestId() == CHALLENGE_ID) {
      byte[] mac = secret.proof(c.nonce().getBytes(), c.context());
      socket.write(new Auth.Proof(Buffer.buffer(mac)).toWire(PROOF_ID));
    } else if (m instanceof Control.Ok && f.requestId() == PROOF_ID) {
      done.tryComplete();
    } else if (m instanceof Control.ErrorReply err) {
      done.tryFail(new ProtocolException("the secret was refused: " + err.message()));
    } else if (m instanceof Control.Goodbye bye) {
      done.tryFail(new ProtocolException("the secret was refused: " + bye.reason()));
    } else {
      done.tryFail(
          new ProtocolException(
              "unexpected " + m.getClass().getSimpleName() + " in the challenge"));
    }
  }
}
