package dev.mirrordj.config.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * Expands every shortened form in a raw configuration tree into its object form (e.g. {@code
 * "incoming": "steal"} into {@code "incoming": {"mode": "steal"}}), following the model's types.
 * Overrides from the environment and the command line are then applied to single leaves of the
 * expanded tree, so a file's shortened form and an override of one of its fields combine correctly.
 * Values it does not understand are left as they are for the binder to report.
 */
public final class TreeNormalizer {
  private TreeNormalizer() {}

  /** Returns the expanded tree; the input is not modified. */
  public static JsonNode normalize(Class<?> rootType, JsonNode tree) {
    return normalize((Type) rootType, tree.deepCopy());
  }

  private static JsonNode normalize(Type type, JsonNode node) {
    if (node == null || node.isNull()) {
      return node;
    }
    if (type instanceof ParameterizedType p) {
      if (p.getRawType() == Optional.class) {
        return normalize(p.getActualTypeArguments()[0], node);
      }
      return node; // lists and maps of sections carry no shortened forms in this model
    }
    Class<?> c = (Class<?>) type;
    if (!c.isRecord()) {
      return node;
    }
    JsonNode expanded = Reflection.expand(c, node);
    if (!(expanded instanceof ObjectNode obj)) {
      return expanded;
    }
    for (RecordComponent component : c.getRecordComponents()) {
      String name = Names.of(component);
      JsonNode child = obj.get(name);
      if (child != null) {
        obj.set(name, normalize(component.getGenericType(), child));
      }
    }
    return obj;
  }
}
