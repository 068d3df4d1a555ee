package dev.mirrordj.sniffer;

/**
 * One TCP segment as seen on the wire, reduced to what reassembly needs.
 *
 * @param flow the direction the segment travels in
 * @param seq the 32-bit sequence number, as an unsigned value in a long
 * @param flags TCP flag bits ({@link #FIN}, {@link #SYN}, {@link #RST}, {@link #ACK})
 * @param payload the segment's data (may be empty); owned by the segment
 */
public record TcpSegment(FlowKey flow, long seq, int flags, byte[] payload) {

  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** A connection opening from the client: SYN without ACK. */
  public boolean isClientSyn() {
    return has(SYN) && !has(ACK);
  }
}
