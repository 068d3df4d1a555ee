package dev.mirrordj.e2e.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One benchmark result as a single JSON line (fields described in bench/README.md). */
final class JsonLine {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  JsonLine(String id, String variant) {
    fields.put("id", id);
    fields.put("variant", variant);
  }

  JsonLine put(String key, Object value) {
    fields.put(key, value);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    fields.forEach(
        (k, v) -> {
          if (sb.length() > 1) {
            sb.append(", ");
          }
          sb.append('"').append(k).append("\": ").append(value(v));
        });
    return sb.append('}').toString();
  }

  private static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (Object o : l) {
        sb.append(sb.length() > 1 ? ", " : "").append(value(o));
      }
      return sb.append(']').toString();
    }
    return '"' + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
