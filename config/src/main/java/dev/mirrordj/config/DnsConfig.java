package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mirrordj.config.bind.ShortForms;

/**
 * {@code feature.network.dns}: resolve names through the pod (default true). A boolean is the short
 * form.
 */
@ShortForms(bool = true)
public record DnsConfig(boolean enabled) {
  static DnsConfig defaults() {
    return new DnsConfig(true);
  }

  static JsonNode expand(JsonNode node) {
    return node.isBoolean() ? Shorthand.object().put("enabled", node.booleanValue()) : node;
  }
}
