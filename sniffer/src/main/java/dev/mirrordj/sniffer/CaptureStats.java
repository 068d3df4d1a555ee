package dev.mirrordj.sniffer;

/**
 * Loss accounting of a capture: what the kernel dropped and what reassembly could not recover.
 *
 * @param received packets the filter accepted (pcap {@code ps_recv})
 * @param dropped packets dropped because the buffer was full (pcap {@code ps_drop})
 * @param droppedByIf packets dropped by the interface or driver (pcap {@code ps_ifdrop})
 * @param reassembly reassembly counters, including gaps and evicted flows
 */
public record CaptureStats(
    long received, long dropped, long droppedByIf, ReassemblyStats reassembly) {

  /** True when some traffic that should have been mirrored was not. */
  public boolean lossy() {
    return dropped > 0 || droppedByIf > 0 || reassembly.lossy();
  }

  /** One line for logs and for the user. */
  public String describe() {
    return "captured "
        + received
        + " packets, kernel dropped "
        + dropped
        + " (interface "
        + droppedByIf
        + "), stream gaps "
        + reassembly.gapBytes()
        + " bytes, evicted connections "
        + reassembly.evictedFlows();
  }
}
