package dev.mirrordj.protocol;

import static dev.mirrordj.protocol.MessageTypes.*;

/** Control messages: handshake, heartbeat, generic replies. */
public final class Control {
  private Control() {}

  /**
   * First frame a client sends: magic, its protocol version, a free-form name for the agent's logs.
   */
  public record Hello(int major, int minor, String clientName) implements Message {
    public int type() {
      return HELLO;
    }

    public void encode(WireWriter w) {
      w.i32(ProtocolVersion.MAGIC).u16(major).u16(minor).string(clientName);
    }

    static Hello decode(WireReader r) {
      int magic = r.i32();
      if (magic != ProtocolVersion.MAGIC) {
        throw new ProtocolException(
            "Hello has bad magic 0x"
                + Integer.toHexString(magic)
                + ", expected 0x"
                + Integer.toHexString(ProtocolVersion.MAGIC)
                + " (not a mirrordj client?)");
      }
      return new Hello(r.u16(), r.u16(), r.string());
    }
  }

  /** The agent's answer to Hello: its protocol and product version and whether it has a target. */
  public record HelloOk(int major, int minor, String agentVersion, boolean targetless)
      implements Message {
    public int type() {
      return HELLO_OK;
    }

    public void encode(WireWriter w) {
      w.u16(major).u16(minor).string(agentVersion).bool(targetless);
    }

    static HelloOk decode(WireReader r) {
      return new HelloOk(r.u16(), r.u16(), r.string(), r.bool());
    }
  }

  /**
   * Heartbeat request; either side may send it, the other answers {@link Pong} with the same id.
   */
  public record Ping() implements Message {
    public int type() {
      return PING;
    }

    public void encode(WireWriter w) {}
  }

  public record Pong() implements Message {
    public int type() {
      return PONG;
    }

    public void encode(WireWriter w) {}
  }

  /** Failure reply to any request: a Linux errno (see {@link Errno}) and a message for logs. */
  public record ErrorReply(int errno, String message) implements Message {
    public int type() {
      return ERROR;
    }

    public void encode(WireWriter w) {
      w.i32(errno).string(message);
    }

    static ErrorReply decode(WireReader r) {
      return new ErrorReply(r.i32(), r.string());
    }
  }

  /** Success reply with nothing to say. */
  public record Ok() implements Message {
    public int type() {
      return OK;
    }

    public void encode(WireWriter w) {}
  }

  /**
   * Sent by the agent right before it closes the connection on purpose (protocol error, shutdown).
   */
  public record Goodbye(String reason) implements Message {
    public int type() {
      return GOODBYE;
    }

    public void encode(WireWriter w) {
      w.string(reason);
    }

    static Goodbye decode(WireReader r) {
      return new Goodbye(r.string());
    }
  }

  /**
   * A client's first frame to an operator (before {@link Hello}): which target, who asks, and what
   * to do when another session already holds a port it steals. {@code osUser} is the identity;
   * {@code displayName} is an optional extra name shown beside it ("" when unset). {@code
   * onConcurrentSteal} is "abort" (unset), "continue" or "override". {@code targetOptions} is a
   * JSON object with what a Kubernetes target needs besides its path ({@code namespace}, {@code
   * copy_target}, {@code scale_down}, {@code startup_timeout}); "" or absent for none. Reply {@link
   * Ok}, or {@link ErrorReply} and the connection closes.
   */
  public record OperatorHello(
      String target,
      String osUser,
      String displayName,
      String sessionId,
      String onConcurrentSteal,
      String targetOptions)
      implements Message {

    /** A hello without target options (a local {@code pid/} target). */
    public OperatorHello(
        String target,
        String osUser,
        String displayName,
        String sessionId,
        String onConcurrentSteal) {
      this(target, osUser, displayName, sessionId, onConcurrentSteal, "");
    }

    public int type() {
      return OPERATOR_HELLO;
    }

    public void encode(WireWriter w) {
      w.string(target)
          .string(osUser)
          .string(displayName)
          .string(sessionId)
          .string(onConcurrentSteal)
          .string(targetOptions);
    }

    static OperatorHello decode(WireReader r) {
      String target = r.string();
      String osUser = r.string();
      String displayName = r.string();
      String sessionId = r.string();
      String onConcurrentSteal = r.string();
      // a client from before target options sends five fields
      String options = r.atEnd() ? "" : r.string();
      return new OperatorHello(target, osUser, displayName, sessionId, onConcurrentSteal, options);
    }
  }

  /**
   * A client's first frame to an operator for administration instead of a session: {@code status}
   * (argument unused) or {@code kill} (argument: the session id). Reply {@link OperatorResult} or
   * {@link ErrorReply}; the operator then closes the connection.
   */
  public record OperatorCommand(String command, String argument) implements Message {
    public int type() {
      return OPERATOR_COMMAND;
    }

    public void encode(WireWriter w) {
      w.string(command).string(argument);
    }

    static OperatorCommand decode(WireReader r) {
      return new OperatorCommand(r.string(), r.string());
    }
  }

  /** The answer to an {@link OperatorCommand}: a JSON document. */
  public record OperatorResult(String json) implements Message {
    public int type() {
      return OPERATOR_RESULT;
    }

    public void encode(WireWriter w) {
      w.string(json);
    }

    static OperatorResult decode(WireReader r) {
      return new OperatorResult(r.string());
    }
  }

  /**
   * A line the client shows its user (request id 0), e.g. the operator saying that another user
   * took over a port lock.
   */
  public record Notice(String text) implements Message {
    public int type() {
      return NOTICE;
    }

    public void encode(WireWriter w) {
      w.string(text);
    }

    static Notice decode(WireReader r) {
      return new Notice(r.string());
    }
  }
}
