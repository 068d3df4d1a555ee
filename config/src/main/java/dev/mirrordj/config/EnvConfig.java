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
 * @param envFile a dotenv file whose variables override the pod's (not subject to include and
 *     exclude)
 * @param mapping regex on a variable's name to the value it gets instead (the first matching
 *     pattern wins); applied after env_file, before override
 */
@ShortForms(bool = true)
public record EnvConfig(
    Optional<List<String>> include,
    Optional<List<String>> exclude,
    @ConfigName("override") Map<String, String> overrides,
    List<String> unset,
    boolean loadFromProcess,
    Optional<String> envFile,
    Map<String, String> mapping) {
  public EnvConfig {
    include = Immutable.list(include);
    exclude = Immutable.list(exclude);
    unset = Immutable.list(unset);
    overrides = Immutable.map(overrides);
    mapping = Immutable.map(mapping);
  }

  static EnvConfig defaults() {
    return new EnvConfig(
        Optional.empty(), Optional.empty(), Map.of(), List.of(), false, Optional.empty(), Map.of());
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
