package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.config.bind.ConfigName;
import dev.mirrordj.config.bind.ShortForms;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code feature.env}: which remote variables the local process gets ({@link EnvFilter} applies
 * include/exclude). {@code true} is the default (all but the default exclusions); {@code false}
 * excludes everything ({@code exclude: ["*"]}).
 *
 * @param include only these names (wildcards {@code *} and {@code ?}); empty = not set (all)
 * @param exclude all but these names; empty = not set
 * @param override variables set locally to these values
 * @param unset variables removed from the local process (case-insensitive)
 * @param loadFromProcess fetch the variables after the process starts (default false)
 */
@ShortForms(bool = true)
public record EnvConfig(
    Optional<List<String>> include,
    Optional<List<String>> exclude,
    @ConfigName("override") Map<String, String> overrides,
    List<String> unset,
    boolean loadFromProcess) {
  public EnvConfig {
    include = Immutable.list(include);
    exclude = Immutable.list(exclude);
    unset = Immutable.list(unset);
    overrides = Immutable.map(overrides);
  }

  static EnvConfig defaults() {
    return new EnvConfig(Optional.empty(), Optional.empty(), Map.of(), List.of(), false);
  }

  static JsonNode expand(JsonNode node) {
    if (node.isBoolean()) {
      ObjectNode obj = Shorthand.object();
      if (!node.booleanValue()) {
        obj.putArray("exclude").add("*");
      }
      return obj;
    }
    return node;
  }
}
