package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mirrordj.config.bind.ShortForms;
import java.util.List;
import java.util.Optional;

/**
 * {@code feature.network.outgoing}: connections made from the pod. A boolean sets both tcp and udp.
 *
 * @param tcp tunnel TCP (default true)
 * @param udp tunnel UDP (default true)
 * @param ignoreLocalhost keep connections to localhost local (default false)
 * @param filter which destinations go remote or stay local
 * @param unixStreams regexes of unix socket paths connected remotely
 */
@ShortForms(bool = true)
public record OutgoingConfig(
    boolean tcp,
    boolean udp,
    boolean ignoreLocalhost,
    Optional<OutgoingFilterConfig> filter,
    List<String> unixStreams) {
  public OutgoingConfig {
    unixStreams = Immutable.list(unixStreams);
  }

  static OutgoingConfig defaults() {
    return new OutgoingConfig(true, true, false, Optional.empty(), List.of());
  }

  static JsonNode expand(JsonNode node) {
    if (node.isBoolean()) {
      return Shorthand.object().put("tcp", node.booleanValue()).put("udp", node.booleanValue());
    }
    return node;
  }
}
