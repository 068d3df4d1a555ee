package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.config.bind.ConfigValue;
import dev.mirrordj.config.bind.ConfigValueException;

/**
 * Two ports written as {@code [a, b]}. In {@code port_mapping} it is {@code [local, remote]}; in
 * {@code listen_ports} it is {@code [remote, local]} (the reference's order for each).
 */
public record PortPair(int first, int second) implements ConfigValue {

  @Override
  public JsonNode toConfig() {
    ArrayNode arr = JsonNodeFactory.instance.arrayNode();
    return arr.add(first).add(second);
  }

  public static PortPair fromConfig(JsonNode node) throws ConfigValueException {
    if (!node.isArray() || node.size() != 2) {
      throw new ConfigValueException("expected a pair of ports like [7777, 8888]");
    }
    return new PortPair(port(node.get(0)), port(node.get(1)));
  }

  private static int port(JsonNode n) throws ConfigValueException {
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > 65535) {
      throw new ConfigValueException("ports must be integers from 1 to 65535, got " + n);
    }
    return n.intValue();
  }

  public static ObjectNode jsonSchema() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode port = f.objectNode().put("type", "integer").put("minimum", 1).put("maximum", 65535);
    return f.objectNode()
        .put("type", "array")
        .put("minItems", 2)
        .put("maxItems", 2)
        .set("items", port);
  }
}
