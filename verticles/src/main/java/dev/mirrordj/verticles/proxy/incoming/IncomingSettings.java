package dev.mirrordj.verticles.proxy.incoming;

import dev.mirrordj.config.IncomingConfig;
import dev.mirrordj.config.IncomingMode;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.PortPair;
import dev.mirrordj.protocol.incoming.FilterSpec;
import dev.mirrordj.protocol.incoming.Incoming;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parts of {@code feature.network.incoming} (and {@code agent.flush_connections}) the proxy
 * needs to turn a local listener into a subscription at the agent.
 *
 * @param mode mirror, steal or off
 * @param headerFilter http_filter.header_filter, empty when unset
 * @param pathFilter http_filter.path_filter, empty when unset
 * @param filterPorts http_filter.ports: where a configured filter applies
 * @param localToRemote port_mapping as local port → remote port
 * @param ports only these local ports, when set
 * @param ignorePorts local ports that stay local
 * @param ignoreLocalhost listeners bound to a loopback address stay local
 * @param flushConnections reset established connections when a steal starts
 * @param filterTree method, body and composite filters as the wire's tree; null when unset
 * @param maxBodyBytes agent.max_body_buffer_size
 * @param bodyTimeoutMillis agent.max_body_buffer_timeout
 */
public record IncomingSettings(
    IncomingMode mode,
    String headerFilter,
    String pathFilter,
    Set<Integer> filterPorts,
    Map<Integer, Integer> localToRemote,
    Optional<Set<Integer>> ports,
    Set<Integer> ignorePorts,
    boolean ignoreLocalhost,
    boolean flushConnections,
    FilterSpec filterTree,
    long maxBodyBytes,
    long bodyTimeoutMillis) {

  /** Settings without a filter tree (header and path filters only). */
  public IncomingSettings(
      IncomingMode mode,
      String headerFilter,
      String pathFilter,
      Set<Integer> filterPorts,
      Map<Integer, Integer> localToRemote,
      Optional<Set<Integer>> ports,
      Set<Integer> ignorePorts,
      boolean ignoreLocalhost,
      boolean flushConnections) {
    this(
        mode,
        headerFilter,
        pathFilter,
        filterPorts,
        localToRemote,
        ports,
        ignorePorts,
        ignoreLocalhost,
        flushConnections,
        null,
        Incoming.Subscribe.DEFAULT_MAX_BODY_BYTES,
        Incoming.Subscribe.DEFAULT_BODY_TIMEOUT_MILLIS);
  }

  /** Reads the resolved configuration. */
  public static IncomingSettings from(MirrordConfig config) {
    IncomingConfig in = config.feature().network().incoming();
    return new IncomingSettings(
        in.mode(),
        in.httpFilter().headerFilter().orElse(""),
        in.httpFilter().pathFilter().orElse(""),
        Set.copyOf(in.httpFilter().ports()),
        pairs(in.portMapping()),
        in.ports().map(Set::copyOf),
        Set.copyOf(in.ignorePorts()),
        in.ignoreLocalhost(),
        config.agent().flushConnections(),
        FilterSpecs.tree(in.httpFilter()),
        config.agent().maxBodyBufferSize(),
        config.agent().maxBodyBufferTimeout());
  }

  private static Map<Integer, Integer> pairs(List<PortPair> mapping) {
    return mapping.stream()
        .collect(Collectors.toUnmodifiableMap(PortPair::first, PortPair::second));
  }

  /** Whether an HTTP filter is configured at all. */
  public boolean filtered() {
    return !headerFilter.isEmpty() || !pathFilter.isEmpty() || filterTree != null;
  }
}
