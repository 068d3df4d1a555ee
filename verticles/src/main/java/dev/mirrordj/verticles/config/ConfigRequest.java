package dev.mirrordj.verticles.config;

import dev.mirrordj.config.ConfigSource;
import java.util.Map;

/**
 * What the config verticle resolves: the document, the environment (template {@code get_env},
 * MIRRORD_* overrides, MIRRORD_CONFIG_FILE), the command-line overrides (as MIRRORD_* variables)
 * and whether a missing target is allowed (IDE).
 */
public record ConfigRequest(
    ConfigSource source, Map<String, String> env, Map<String, String> cliOverrides, boolean ide) {
  public ConfigRequest {
    env = Map.copyOf(env);
    cliOverrides = Map.copyOf(cliOverrides);
  }

  /** A request with the process environment. */
  public static ConfigRequest of(
      ConfigSource source, Map<String, String> cliOverrides, boolean ide) {
    return new ConfigRequest(source, System.getenv(), cliOverrides, ide);
  }
}
