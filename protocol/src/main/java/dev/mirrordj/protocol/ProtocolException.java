package dev.mirrordj.protocol;

/**
 * A peer sent bytes that are not a valid frame or message: wrong length, unknown type, truncated or
 * trailing body. The receiving side closes that one connection and logs {@link #getMessage()}.
 */
public final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }
}
