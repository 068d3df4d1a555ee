package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mirrordj.config.load.EnvOverrides;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers which fields a {@code MIRRORD_*} variable or a command-line flag replaced, so that an
 * error about such a field says where its value came from: otherwise a bad {@code
 * MIRRORD_FILE_MODE} sends the user looking for {@code feature.fs.mode} in a file that does not
 * contain it.
 */
final class OverrideOrigins {
  private final Map<String, String> origins = new LinkedHashMap<>();

  /** Records the environment's leaves, then the command line's (which win, as when applied). */
  OverrideOrigins(Map<String, JsonNode> fromEnv, Map<String, JsonNode> fromCli) {
    fromEnv
        .keySet()
        .forEach(p -> origins.put(p, "set by environment variable " + EnvOverrides.variableFor(p)));
    fromCli.keySet().forEach(p -> origins.put(p, "set on the command line"));
  }

  /**
   * The result with every error from index {@code from} on, at or below an overridden path,
   * annotated.
   */
  ResolveResult annotate(ResolveResult result, int from) {
    if (origins.isEmpty()) {
      return result;
    }
    List<ConfigError> errors = new ArrayList<>(result.errors());
    for (int i = from; i < errors.size(); i++) {
      ConfigError e = errors.get(i);
      String origin = originOf(e.path());
      if (origin != null) {
        errors.set(i, new ConfigError(e.path(), e.value(), e.message() + " (" + origin + ")"));
      }
    }
    return new ResolveResult(result.config(), result.warnings(), List.copyOf(errors));
  }

  private String originOf(String path) {
    for (Map.Entry<String, String> o : origins.entrySet()) {
      String p = o.getKey();
      if (path.equals(p) || path.startsWith(p + "[") || path.startsWith(p + ".")) {
        return o.getValue();
      }
    }
    return null;
  }
}
