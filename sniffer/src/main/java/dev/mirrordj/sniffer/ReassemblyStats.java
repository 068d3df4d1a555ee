package dev.mirrordj.sniffer;

/**
 * Counters of what reassembly did, for loss reporting. A snapshot; never reset.
 *
 * @param flowsOpened connections seen (with or without their handshake)
 * @param midStreamFlows connections first seen after their handshake
 * @param deliveredBytes bytes handed to the listener in order
 * @param gapBytes bytes never seen and skipped (loss)
 * @param duplicateBytes retransmitted or overlapping bytes dropped (not loss)
 * @param evictedFlows flows dropped because the flow table was full (loss)
 */
public record ReassemblyStats(
    long flowsOpened,
    long midStreamFlows,
    long deliveredBytes,
    long gapBytes,
    long duplicateBytes,
    long evictedFlows) {

  /** True when reassembly lost data somewhere. */
  public boolean lossy() {
    return gapBytes > 0 || evictedFlows > 0;
  }
}
