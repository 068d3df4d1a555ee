package dev.mirrordj.config.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes configuration records as their canonical JSON tree: reference field names, every field
 * present (unset optional values as {@code null}), shortened forms in their object form. The binder
 * reads this form back to an equal record.
 */
public final class ConfigTreeWriter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ConfigTreeWriter() {}

  public static JsonNode write(Object value) {
    if (value == null) {
      return F.nullNode();
    }
    if (value instanceof Optional<?> o) {
      return o.map(ConfigTreeWriter::write).orElse(F.nullNode());
    }
    if (value instanceof Boolean b) {
      return F.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return F.numberNode(i);
    }
    if (value instanceof Long l) {
      return F.numberNode(l);
    }
    if (value instanceof String s) {
      return F.textNode(s);
    }
    if (value instanceof ConfigEnum e) {
      return F.textNode(e.wire());
    }
    if (value instanceof ConfigValue v) {
      return v.toConfig();
    }
    if (value instanceof List<?> list) {
      ArrayNode arr = F.arrayNode();
      list.forEach(item -> arr.add(write(item)));
      return arr;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode obj = F.objectNode();
      map.forEach((k, v) -> obj.set(String.valueOf(k), write(v)));
      return obj;
    }
    if (value instanceof Record r) {
      ObjectNode obj = F.objectNode();
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        obj.set(Names.of(c), write(Reflection.component(r, c)));
      }
      return obj;
    }
    throw new IllegalStateException("cannot write configuration value of " + value.getClass());
  }
}
