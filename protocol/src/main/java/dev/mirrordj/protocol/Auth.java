package dev.mirrordj.protocol;

import static dev.mirrordj.protocol.MessageTypes.*;

import io.vertx.core.buffer.Buffer;

/**
 * Proving the secret before anything is served: the connecting side asks ({@link Request}), the
 * server answers with a fresh nonce and the context the proof is bound to ({@link Challenge}), the
 * connecting side sends HMAC-SHA256(secret, nonce || context) ({@link Proof}) and the server
 * answers {@link Control.Ok} or closes the connection. See {@code auth.SharedSecret}.
 */
public final class Auth {
  private Auth() {}

  /** First frame of a client that holds a secret: "challenge me". */
  public record Request() implements Message {
    public int type() {
      return AUTH_REQUEST;
    }

    public void encode(WireWriter w) {}
  }

  /** The server's fresh nonce for this connection and what the proof is bound to. */
  public record Challenge(Buffer nonce, String context) implements Message {
    public int type() {
      return AUTH_CHALLENGE;
    }

    public void encode(WireWriter w) {
      w.bytes(nonce).string(context);
    }

    static Challenge decode(WireReader r) {
      return new Challenge(r.bytes(), r.string());
    }
  }

  /** HMAC-SHA256(secret, nonce || context) for the challenge of this connection. */
  public record Proof(Buffer mac) implements Message {
    public int type() {
      return AUTH_PROOF;
    }

    public void encode(WireWriter w) {
      w.bytes(mac);
    }

    static Proof decode(WireReader r) {
      return new Proof(r.bytes());
    }
  }
}
