package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.config.bind.ShortForms;

/**
 * {@code feature.network}: incoming, outgoing and DNS. {@code true} is the default; {@code false}
 * turns all three off (incoming "off", outgoing tcp/udp false, dns disabled).
 */
@ShortForms(bool = true)
public record NetworkConfig(IncomingConfig incoming, OutgoingConfig outgoing, DnsConfig dns) {

  static NetworkConfig defaults() {
    return new NetworkConfig(
        IncomingConfig.defaults(), OutgoingConfig.defaults(), DnsConfig.defaults());
  }

  static JsonNode expand(JsonNode node) {
    if (node.isBoolean()) {
      ObjectNode obj = Shorthand.object();
      if (!node.booleanValue()) {
        obj.put("incoming", false).put("outgoing", false).put("dns", false);
      }
      return obj;
    }
    return node;
  }
}
