package dev.mirrordj.verticles.cluster;

import dev.mirrordj.protocol.Auth;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.auth.SharedSecret;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The administration side of the session port, for {@code mirrord operator status} and {@code
 * session kill}: one {@code OperatorCommand}, one answer, on a plain blocking socket.
 */
public final class OperatorAdmin {
  private static final int TIMEOUT_MS = 10_000;

  private OperatorAdmin() {}

  /** A failure the operator reported (unknown session, ...) or that it could not be reached. */
  public static final class AdminException extends Exception {
    private static final long serialVersionUID = 1L;

    public AdminException(String message) {
      super(message);
    }
  }

  public static JsonObject status(String address) throws AdminException {
    return call(address, new Control.OperatorCommand("status", ""));
  }

  public static JsonObject kill(String address, String sessionId) throws AdminException {
    return call(address, new Control.OperatorCommand("kill", sessionId));
  }

  private static JsonObject call(String address, Control.OperatorCommand command)
      throws AdminException {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) throw new AdminException("operator address '" + address + "' is not HOST:PORT");
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new AdminException("operator address '" + address + "' is not HOST:PORT");
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      SharedSecret secret;
      try {
        secret =
            SharedSecret.fromEnvironment(System.getenv(), SharedSecret.OPERATOR_VARIABLE)
                .orElse(null);
      } catch (IllegalArgumentException e) {
        throw new AdminException(e.getMessage());
      }
      if (secret != null) {
        prove(socket, in, secret, address);
      }
      socket.getOutputStream().write(command.toWire(1).getBytes());
      Message reply = readMessage(in, address);
      if (reply instanceof Control.OperatorResult result) return new JsonObject(result.json());
      if (reply instanceof Control.ErrorReply error) throw new AdminException(error.message());
      throw new AdminException("unexpected answer " + reply.getClass().getSimpleName());
    } catch (IOException e) {
      throw new AdminException("cannot reach the operator at " + address + ": " + e.getMessage());
    }
  }

  /** The operator's challenge, answered before the command (see {@code AuthGate}). */
  private static void prove(Socket socket, DataInputStream in, SharedSecret secret, String address)
      throws IOException, AdminException {
    socket.getOutputStream().write(new Auth.Request().toWire(2).getBytes());
    Message challenge = readMessage(in, address);
    if (!(challenge instanceof Auth.Challenge c)) {
      throw new AdminException(
          "the operator at "
              + address
              + " did not challenge: "
              + (challenge instanceof Control.ErrorReply e
                  ? e.message()
                  : challenge.getClass().getSimpleName()));
    }
    byte[] mac = secret.proof(c.nonce().getBytes(), c.context());
    socket.getOutputStream().write(new Auth.Proof(Buffer.buffer(mac)).toWire(3).getBytes());
    Message ok = readMessage(in, address);
    if (ok instanceof Control.ErrorReply e) throw new AdminException(e.message());
  }

  private static Message readMessage(DataInputStream in, String address)
      throws IOException, AdminException {
    {
      int length = in.readInt();
      if (length < Frame.HEADER_AFTER_LENGTH || length > Frame.MAX_LENGTH) {
        throw new AdminException(
            "the operator at " + address + " sent a bad frame length " + length);
      }
      int type = in.readUnsignedShort();
      int requestId = in.readInt();
      byte[] body = new byte[length - Frame.HEADER_AFTER_LENGTH];
      in.readFully(body);
      return MessageCodec.decode(new Frame(type, requestId, Buffer.buffer(body)));
    }
  }
}
