package dev.mirrordj.sniffer;

/**
 * Receives reassembled client-to-server byte streams. Called on the capture's delivery thread, in
 * order per flow; implementations hand work off rather than block.
 */
public interface StreamListener {

  /**
   * A new connection was seen.
   *
   * @param midStream true when capture started after the handshake, so the stream's beginning is
   *     missing
   */
  void onOpen(FlowKey flow, boolean midStream);

  /** In-order bytes of the client's stream. The array is owned by the listener. */
  void onData(FlowKey flow, byte[] data);

  /** Bytes that were never seen (capture loss or buffer limit); the stream continues after them. */
  void onGap(FlowKey flow, long missingBytes);

  /** The connection ended (FIN, RST, idle expiry or capture stop). No more calls for this flow. */
  void onClose(FlowKey flow, CloseReason reason);

  /** Why a flow ended. */
  enum CloseReason {
    FIN,
    RESET,
    IDLE,
    EVICTED,
    STOPPED
  }
}
