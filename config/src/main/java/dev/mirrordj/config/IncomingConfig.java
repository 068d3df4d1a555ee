package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mirrordj.config.bind.Range;
import dev.mirrordj.config.bind.ShortForms;
import java.util.List;
import java.util.Optional;

/**
 * {@code feature.network.incoming}: mirror (default), steal or off. Written as an object, a mode
 * string, or a boolean ({@code true} = mirror, {@code false} = off).
 *
 * @param mode how traffic reaches the local process
 * @param httpFilter steal only matching HTTP requests (steal mode)
 * @param portMapping {@code [local, remote]} pairs: the local port listens for this remote port
 * @param listenPorts {@code [remote, local]} pairs: listen locally on this port for the remote one
 * @param ports only these remote ports (unset = all); exclusive with ignorePorts
 * @param ignorePorts ports that stay local
 * @param ignoreLocalhost ignore listeners on localhost (default false)
 * @param onConcurrentSteal what to do when the port is already stolen (operator; default abort)
 */
@ShortForms(
    bool = true,
    strings = {"mirror", "steal", "off"})
public record IncomingConfig(
    IncomingMode mode,
    HttpFilterConfig httpFilter,
    List<PortPair> portMapping,
    List<PortPair> listenPorts,
    @Range(min = 1, max = 65535) Optional<List<Integer>> ports,
    @Range(min = 1, max = 65535) List<Integer> ignorePorts,
    boolean ignoreLocalhost,
    ConcurrentStealMode onConcurrentSteal) {
  public IncomingConfig {
    portMapping = Immutable.list(portMapping);
    listenPorts = Immutable.list(listenPorts);
    ports = Immutable.list(ports);
    ignorePorts = Immutable.list(ignorePorts);
  }

  static IncomingConfig defaults() {
    return new IncomingConfig(
        IncomingMode.MIRROR,
        HttpFilterConfig.defaults(),
        List.of(),
        List.of(),
        Optional.empty(),
        List.of(),
        false,
        ConcurrentStealMode.ABORT);
  }

  static JsonNode expand(JsonNode node) {
    if (node.isBoolean()) {
      return Shorthand.object().put("mode", node.booleanValue() ? "mirror" : "off");
    }
    if (node.isTextual()) {
      return Shorthand.object().put("mode", node.textValue());
    }
    return node;
  }

  public boolean isSteal() {
    return mode == IncomingMode.STEAL;
  }
}
