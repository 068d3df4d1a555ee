package dev.mirrordj.config;

import java.util.Optional;

/**
 * {@code internal_proxy}: the local proxy the layers connect to.
 *
 * @param startIdleTimeout seconds to wait for the first layer connection (default 60)
 * @param idleTimeout seconds to wait without connections before exiting (default 5)
 * @param logDestination log file of the proxy (default: a file in the temp directory)
 * @param logLevel log level of the proxy, used only with logDestination (default
 *     "mirrord=info,warn")
 */
public record InternalProxyConfig(
    long startIdleTimeout, long idleTimeout, Optional<String> logDestination, String logLevel) {
  /** The proxy's log level when none is configured (mirrord's). */
  public static final String DEFAULT_LOG_LEVEL = "mirrord=info,warn";

  static InternalProxyConfig defaults() {
    return new InternalProxyConfig(60, 5, Optional.empty(), DEFAULT_LOG_LEVEL);
  }
}
