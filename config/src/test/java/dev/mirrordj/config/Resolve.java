package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mirrordj.config.load.ConfigFormat;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Test helpers: resolve inline JSON or a reference resource and fail with all errors if invalid.
 */
final class Resolve {
  private Resolve() {}

  static ResolveResult json(String json) {
    return json(json, Map.of(), Map.of(), false);
  }

  static ResolveResult json(
      String json, Map<String, String> env, Map<String, String> cli, boolean ide) {
    return ConfigResolver.resolve(
        new ConfigSource.Text(json, ConfigFormat.JSON, "<test>"), env, cli, ide);
  }

  static MirrordConfig ok(ResolveResult r) {
    if (!r.ok()) {
      fail("expected a valid configuration, got errors: " + r.errors());
    }
    return r.config().orElseThrow();
  }

  static MirrordConfig okJson(String json) {
    return ok(json(json));
  }

  /**
   * Asserts that resolution failed with an error at {@code path} whose message contains {@code
   * text}.
   */
  static ConfigError error(ResolveResult r, String path, String text) {
    for (ConfigError e : r.errors()) {
      if (e.path().equals(path) && e.message().contains(text)) {
        return e;
      }
    }
    fail("expected an error at '" + path + "' containing '" + text + "', got: " + r.errors());
    return null;
  }

  static void warning(ResolveResult r, String text) {
    assertTrue(
        r.warnings().stream().anyMatch(w -> w.contains(text)),
        "expected a warning containing '" + text + "', got: " + r.warnings());
  }

  static Path resource(String name) {
    try {
      return Path.of(Resolve.class.getResource("/reference/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
