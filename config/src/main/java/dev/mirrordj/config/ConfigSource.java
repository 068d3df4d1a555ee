package dev.mirrordj.config;

import dev.mirrordj.config.load.ConfigFormat;
import java.nio.file.Path;

/** Where the configuration document comes from. */
public sealed interface ConfigSource {
  /** The path used for a bare {@code -f}. */
  Path DEFAULT_PATH = Path.of(".mirrord", "mirrord.json");

  /** A file; its extension picks the format. */
  record File(Path path) implements ConfigSource {}

  /** Text already read (e.g. from stdin for {@code -f -}) in a known format. */
  record Text(String text, ConfigFormat format, String origin) implements ConfigSource {}

  /** No document: defaults, environment and flags only (unless MIRRORD_CONFIG_FILE names one). */
  record None() implements ConfigSource {}

  static ConfigSource file(Path path) {
    return new File(path);
  }

  static ConfigSource none() {
    return new None();
  }

  /** JSON text read from stdin ({@code -f -}). */
  static ConfigSource stdin(String text) {
    return new Text(text, ConfigFormat.JSON, "<stdin>");
  }
}
