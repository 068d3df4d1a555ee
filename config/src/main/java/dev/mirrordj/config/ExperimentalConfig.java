package dev.mirrordj.config;

/**
 * {@code experimental}: features that may change.
 *
 * @param readlink enable the readlink hook (default false)
 * @param tcpPing4Mock mock ICMP ping sockets over TCP (default true)
 */
public record ExperimentalConfig(boolean readlink, boolean tcpPing4Mock) {
  static ExperimentalConfig defaults() {
    return new ExperimentalConfig(false, true);
  }
}
