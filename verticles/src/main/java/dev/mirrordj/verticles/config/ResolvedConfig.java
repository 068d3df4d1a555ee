package dev.mirrordj.verticles.config;

import dev.mirrordj.config.MirrordConfig;
import java.util.List;

/** The event-bus message carrying the resolved, immutable configuration and its warnings. */
public record ResolvedConfig(MirrordConfig config, List<String> warnings) {
  public ResolvedConfig {
    warnings = List.copyOf(warnings);
  }
}
