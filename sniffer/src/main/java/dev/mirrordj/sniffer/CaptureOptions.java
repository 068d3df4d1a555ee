package dev.mirrordj.sniffer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@link TcpSniffer} captures.
 *
 * @param interfaceName      device to open in the namespace (e.g. {@code eth0}, {@code any})
 * @param netns              network namespace file to capture in; null for the caller's own
 * @param bufferBytes        kernel capture buffer; large enough not to drop at normal rates
 * @param snaplen            bytes kept per packet (must cover the largest segment)
 * @param maxBufferedPerFlow out-of-order bytes kept per connection before a hole is skipped
 * @param maxFlows           connections followed at once
 * @param idleTimeout        a connection silent for this long is ended
 */
public record CaptureOptions(String interfaceName, Path netns, int bufferBytes, int snaplen,
                             int maxBufferedPerFlow, int maxFlows, Duration idleTimeout) {

    public static CaptureOptions defaults(String interfaceName, Path netns) {
        return new CaptureOptions(interfaceName, netns, 32 << 20, 262144, 4 << 20, 65536, Duration.ofMinutes(10));
    }
}
