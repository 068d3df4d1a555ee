package dev.mirrordj.sniffer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@link TcpSniffer} captures.
 *
 * @param interfaceName device to open in the namespace (e.g. {@code eth0}, {@code any})
 * @param netns network namespace file to capture in; null for the caller's own
 * @param bufferBytes kernel capture buffer; large enough not to drop at normal rates
 * @param snaplen bytes kept per packet (must cover the largest segment)
 * @param maxBufferedPerFlow out-of-order bytes kept per connection before a hole is skipped
 * @param maxFlows connections followed at once
 * @param idleTimeout a connection silent for this long is ended
 * @param holeTimeout how long data waits behind a missing segment before the hole is reported as
 *     lost and skipped. Segments of one flow can reach the capture out of order by a long time on a
 *     loaded machine (they are queued on different CPUs), while a segment the capture dropped never
 *     comes: too short reports false loss, too long delays the stream.
 */
public record CaptureOptions(
    String interfaceName,
    Path netns,
    int bufferBytes,
    int snaplen,
    int maxBufferedPerFlow,
    int maxFlows,
    Duration idleTimeout,
    Duration holeTimeout) {

  public static CaptureOptions defaults(String interfaceName, Path netns) {
    return new CaptureOptions(
        interfaceName,
        netns,
        32 << 20,
        262144,
        4 << 20,
        65536,
        Duration.ofMinutes(10),
        Duration.ofSeconds(2));
  }
}
