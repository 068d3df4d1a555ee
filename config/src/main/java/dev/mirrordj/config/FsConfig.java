package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mirrordj.config.bind.ShortForms;
import java.util.List;

/**
 * {@code feature.fs}: the default file mode and per-path regex overrides (case-insensitive).
 * Written as an object, a mode string, or a boolean ({@code true} = read, {@code false} = local).
 * The built-in path lists the proxy applies on top are in {@link FsDefaults}.
 *
 * @param mode default behaviour (default read)
 * @param readWrite patterns read and written remotely
 * @param readOnly patterns read remotely (opened locally when written)
 * @param local patterns served locally
 * @param notFound patterns treated as non-existent
 */
@ShortForms(
    bool = true,
    strings = {"local", "localwithoverrides", "read", "write"})
public record FsConfig(
    FsMode mode,
    List<String> readWrite,
    List<String> readOnly,
    List<String> local,
    List<String> notFound) {
  public FsConfig {
    readWrite = Immutable.list(readWrite);
    readOnly = Immutable.list(readOnly);
    local = Immutable.list(local);
    notFound = Immutable.list(notFound);
  }

  static FsConfig defaults() {
    return new FsConfig(FsMode.READ, List.of(), List.of(), List.of(), List.of());
  }

  static JsonNode expand(JsonNode node) {
    if (node.isBoolean()) {
      return Shorthand.object().put("mode", node.booleanValue() ? "read" : "local");
    }
    if (node.isTextual()) {
      return Shorthand.object().put("mode", node.textValue());
    }
    return node;
  }
}
