package dev.mirrordj.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small helpers for the sections' {@code expand} functions. */
final class Shorthand {
  private Shorthand() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }
}
