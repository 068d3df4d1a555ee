package dev.mirrordj.protocol;

/**
 * A typed protocol message. Each implementation is a record with a stable {@link #type()} code (see
 * {@link MessageTypes}) and a body layout documented in protocol/README.md.
 */
public interface Message {
  /** The 16-bit type code that goes into the frame header. */
  int type();

  /** Writes the body (everything after the frame header). */
  void encode(WireWriter w);

  /**
   * Serializes this message as one complete frame (length prefix included) in a single buffer,
   * without the intermediate copies of {@link #toFrame}: the hot path for data frames.
   */
  default io.vertx.core.buffer.Buffer toWire(int requestId) {
    io.vertx.core.buffer.Buffer out = io.vertx.core.buffer.Buffer.buffer(64);
    out.appendInt(0).appendUnsignedShort(type()).appendInt(requestId);
    encode(new WireWriter(out));
    int length = out.length() - 4;
    if (length > Frame.MAX_LENGTH) {
      throw new ProtocolException(
          "frame of type 0x"
              + Integer.toHexString(type())
              + " is "
              + length
              + " bytes, the maximum is "
              + Frame.MAX_LENGTH);
    }
    out.setInt(0, length);
    return out;
  }

  /** Builds the frame for this message with the given request id (0 for unsolicited frames). */
  default Frame toFrame(int requestId) {
    WireWriter w = new WireWriter();
    encode(w);
    return new Frame(type(), requestId, w.buffer());
  }
}
