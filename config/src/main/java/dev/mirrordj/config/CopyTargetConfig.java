package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.config.bind.ShortForms;

/**
 * {@code feature.copy_target}: run against a copy of the target (operator). {@code true}/{@code
 * false} or an object; an object without {@code enabled} means enabled, as in mirrord.
 *
 * @param enabled whether a copy is made (default false)
 * @param scaleDown scale the original deployment to 0 while the copy lives (default false)
 */
@ShortForms(bool = true)
public record CopyTargetConfig(boolean enabled, boolean scaleDown) {
  static CopyTargetConfig defaults() {
    return new CopyTargetConfig(false, false);
  }

  static JsonNode expand(JsonNode node) {
    if (node.isBoolean()) {
      return Shorthand.object().put("enabled", node.booleanValue());
    }
    if (node instanceof ObjectNode obj && !obj.has("enabled")) {
      ObjectNode copy = obj.deepCopy();
      copy.put("enabled", true);
      return copy;
    }
    return node;
  }
}
