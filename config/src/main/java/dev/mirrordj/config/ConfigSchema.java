package dev.mirrordj.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.config.bind.SchemaGenerator;

/**
 * The JSON Schema of the whole configuration, generated from {@link MirrordConfig} (for editors).
 */
public final class ConfigSchema {
  private ConfigSchema() {}

  public static ObjectNode generate() {
    return SchemaGenerator.generate(MirrordConfig.class, "mirrord configuration");
  }
}
