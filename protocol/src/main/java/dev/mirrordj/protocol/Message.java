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

  /** Builds the frame for this message with the given request id (0 for unsolicited frames). */
  default Frame toFrame(int requestId) {
    WireWriter w = new WireWriter();
    encode(w);
    return new Frame(type(), requestId, w.buffer());
  }
}
