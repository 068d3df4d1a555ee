package dev.mirrordj.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * One frame on the wire: {@code u32 length | u16 type | u32 requestId | body}. {@code length}
 * counts the bytes after itself (so it is at least {@link #HEADER_AFTER_LENGTH}) and never exceeds
 * {@link #MAX_LENGTH}. Request id 0 marks frames that answer nothing (stream data, notices).
 */
public record Frame(int type, int requestId, Buffer body) {
  /** Bytes of type + request id that follow the length field. */
  public static final int HEADER_AFTER_LENGTH = 6;

  /** Hard cap for the length field: 1 MiB. Anything larger closes the connection. */
  public static final int MAX_LENGTH = 1 << 20;

  /** Largest body a sender may put in a frame. */
  public static final int MAX_BODY = MAX_LENGTH - HEADER_AFTER_LENGTH;

  /** Serializes this frame including its length prefix. */
  public Buffer toBuffer() {
    int length = HEADER_AFTER_LENGTH + body.length();
    if (length > MAX_LENGTH) {
      throw new ProtocolException(
          "frame of type 0x"
              + Integer.toHexString(type)
              + " is "
              + length
              + " bytes, the maximum is "
              + MAX_LENGTH);
    }
    Buffer out = Buffer.buffer(4 + length);
    out.appendInt(length).appendUnsignedShort(type).appendInt(requestId).appendBuffer(body);
    return out;
  }
}
