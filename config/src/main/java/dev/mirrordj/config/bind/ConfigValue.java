package dev.mirrordj.config.bind;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A value with its own configuration syntax (a target path, an image reference, a port pair). The
 * implementing type must also declare {@code static T fromConfig(JsonNode)} throwing {@link
 * ConfigValueException} and {@code static ObjectNode jsonSchema()}; the binder, codec and schema
 * generator find them reflectively so the syntax is defined in one place.
 */
public interface ConfigValue {
  /**
   * The canonical (expanded) configuration form; {@code fromConfig(toConfig())} is equal to this.
   */
  JsonNode toConfig();
}
