package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every error and warning found while resolving a configuration, so that the user sees all
 * of them at once rather than one per run.
 */
public final class Problems {
  private final List<ConfigError> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  public void error(String path, JsonNode value, String message) {
    errors.add(new ConfigError(path, value == null ? null : abbreviate(value.toString()), message));
  }

  public void error(String path, String value, String message) {
    errors.add(new ConfigError(path, value == null ? null : abbreviate(value), message));
  }

  /** Adds an error found elsewhere (e.g. by a vertx-config store) as it is. */
  public void add(ConfigError error) {
    errors.add(error);
  }

  public void warn(String message) {
    warnings.add(message);
  }

  /**
   * Whether an error was already reported at {@code path} or below it (e.g. {@code target} covers
   * {@code target.path}). Cross-field rules use it to skip conclusions drawn from a value that fell
   * back to its default because the configured one was invalid.
   */
  public boolean failedAt(String path) {
    for (ConfigError e : errors) {
      String p = e.path();
      if (p.isEmpty() || p.equals(path) || p.startsWith(path + ".") || p.startsWith(path + "[")) {
        return true;
      }
    }
    return false;
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public List<ConfigError> errors() {
    return List.copyOf(errors);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
