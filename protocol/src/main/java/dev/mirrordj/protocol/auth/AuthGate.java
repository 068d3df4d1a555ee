package dev.mirrordj.protocol.auth;

import dev.mirrordj.protocol.Auth;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageTypes;
import io.vertx.core.buffer.Buffer;

/**
 * The server side of one connection's challenge: nothing is served until the peer has proven that
 * it holds the secret. Each connection gets one fresh nonce, used at most once, so a proof recorded
 * on another connection (or sent twice) never passes. Without a secret the gate is open from the
 * start. Not thread-safe: use it on the connection's context.
 */
public final class AuthGate {
  private final SharedSecret secret;
  private final String context;
  private final String variable;
  private byte[] nonce;
  private boolean challenged;
  private boolean passed;

  private AuthGate(SharedSecret secret, String context, String variable) {
    this.secret = secret;
    this.context = context;
    this.variable = variable;
    this.passed = secret == null;
  }

  /**
   * @param secret null: every peer is served (the gate is open)
   * @param context what proofs are bound to (e.g. "mirrordj agent"), so that a proof made for one
   *     kind of server is worth nothing at another
   * @param variable the environment variable that holds the secret, named in refusals
   */
  public static AuthGate of(SharedSecret secret, String context, String variable) {
    return new AuthGate(secret, context, variable);
  }

  /** Whether requests may be served now. */
  public boolean passed() {
    return passed;
  }

  /** Whether this gate asks for a proof at all. */
  public boolean required() {
    return secret != null;
  }

  /**
   * Handles a message that arrived before the gate was passed and returns the reply to send.
   *
   * @throws AuthRefusedException when the connection must be closed (its message says why)
   */
  public Message beforePassed(Message m) throws AuthRefusedException {
    if (m instanceof Auth.Request) {
      if (challenged) {
        throw new AuthRefusedException("asked for a second challenge on one connection");
      }
      challenged = true;
      nonce = SharedSecret.nonce();
      return new Auth.Challenge(Buffer.buffer(nonce), context);
    }
    if (m instanceof Auth.Proof proof) {
      if (nonce == null) {
        throw new AuthRefusedException(
            challenged
                ? "a second proof on one connection (replayed?)"
                : "a proof without a challenge (replayed?)");
      }
      byte[] n = nonce;
      nonce = null; // one proof per nonce, right or wrong
      if (!secret.verifies(n, context, proof.mac().getBytes())) {
        throw new AuthRefusedException("wrong proof of the secret");
      }
      passed = true;
      return new Control.Ok();
    }
    throw new AuthRefusedException(
        "this server serves only peers that prove they hold its secret ("
            + variable
            + "); got "
            + MessageTypes.name(m.type())
            + " before a proof");
  }

  /** The answer to a peer that asks for a challenge from a server without a secret. */
  public Message noSecretReply() {
    return new Control.ErrorReply(
        Errno.EPROTO,
        "this server was started without a secret ("
            + variable
            + " unset), so it cannot prove the connection; connect without one");
  }

  /** Refusal of one connection; the server closes it and serves everyone else. */
  public static final class AuthRefusedException extends Exception {
    public AuthRefusedException(String message) {
      super(message);
    }
  }
}
