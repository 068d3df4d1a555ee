package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.config.bind.ConfigValue;
import dev.mirrordj.config.bind.ConfigValueException;

/**
 * The agent's container image: written as {@code "registry/name:tag"} or as {@code {"registry":
 * "...", "tag": "..."}}; always resolved to the single reference string.
 */
public record AgentImage(String reference) implements ConfigValue {
  public static final AgentImage DEFAULT = new AgentImage("ghcr.io/metalbear-co/mirrord:latest");

  /** The part before the tag, e.g. {@code ghcr.io/metalbear-co/mirrord}. */
  public String registry() {
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    return colon > slash ? reference.substring(0, colon) : reference;
  }

  /** The tag, {@code latest} when the reference has none. */
  public String tag() {
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    return colon > slash ? reference.substring(colon + 1) : "latest";
  }

  @Override
  public JsonNode toConfig() {
    return JsonNodeFactory.instance.textNode(reference);
  }

  public static AgentImage fromConfig(JsonNode node) throws ConfigValueException {
    if (node.isTextual() && !node.textValue().isBlank()) {
      return new AgentImage(node.textValue().trim());
    }
    if (node.isObject()) {
      JsonNode registry = node.get("registry");
      JsonNode tag = node.get("tag");
      for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!k.equals("registry") && !k.equals("tag")) {
          throw new ConfigValueException(
              "unknown field `" + k + "` in agent.image; expected registry, tag");
        }
      }
      if (registry == null || !registry.isTextual() || registry.textValue().isBlank()) {
        throw new ConfigValueException("agent.image object needs a non-empty string `registry`");
      }
      if (tag != null && !tag.isTextual()) {
        throw new ConfigValueException("agent.image `tag` must be a string");
      }
      return new AgentImage(
          registry.textValue() + ":" + (tag == null ? "latest" : tag.textValue()));
    }
    throw new ConfigValueException(
        "expected an image reference string (\"registry/name:tag\") or {\"registry\": ..., \"tag\": ...}");
  }

  public static ObjectNode jsonSchema() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode obj = f.objectNode().put("type", "object").put("additionalProperties", false);
    obj.putObject("properties").set("registry", f.objectNode().put("type", "string"));
    ((ObjectNode) obj.get("properties")).set("tag", f.objectNode().put("type", "string"));
    obj.putArray("required").add("registry");
    ObjectNode schema = f.objectNode();
    schema.putArray("oneOf").add(f.objectNode().put("type", "string")).add(obj);
    return schema;
  }
}
