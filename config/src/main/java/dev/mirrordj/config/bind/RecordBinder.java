package dev.mirrordj.config.bind;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mirrordj.config.Problems;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns a JSON tree into the immutable configuration records, driven by the records' component
 * types: snake_case field names, shortened forms ({@link ShortForms}), defaults from each section's
 * {@code defaults()}. It never throws for bad input: every problem is reported to {@link Problems}
 * with its JSON path, and binding continues with the default so that all errors are found in one
 * pass. JSON {@code null} means "not set" (the default applies), which is also how YAML writes an
 * empty key.
 */
public final class RecordBinder {
  private final Problems problems;

  public RecordBinder(Problems problems) {
    this.problems = problems;
  }

  /** Binds a whole section; a missing or null node yields the section's defaults. */
  public <T> T bindRecord(Class<T> type, JsonNode node, String path) {
    return type.cast(bindRecordValue(type, node, path));
  }

  private Object bindRecordValue(Class<?> type, JsonNode node, String path) {
    Object defaults = Reflection.defaults(type);
    if (node == null || node.isNull() || node.isMissingNode()) {
      return defaults;
    }
    JsonNode expanded = Reflection.expand(type, node);
    if (!expanded.isObject()) {
      problems.error(path, node, "expected " + TypeDescriptions.recordForms(type));
      return defaults;
    }
    RecordComponent[] components = type.getRecordComponents();
    Map<String, RecordComponent> byName = new LinkedHashMap<>();
    for (RecordComponent c : components) {
      byName.put(Names.of(c), c);
    }
    for (Iterator<String> it = expanded.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!byName.containsKey(field)) {
        problems.error(
            Names.child(path, field),
            (String) null,
            "unknown field `"
                + field
                + "`; expected one of: "
                + String.join(", ", byName.keySet()));
      }
    }
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      Object fallback = Reflection.component((Record) defaults, c);
      JsonNode child = expanded.get(Names.of(c));
      values[i] =
          child == null || child.isNull()
              ? fallback
              : bindValue(c.getGenericType(), c, child, Names.child(path, Names.of(c)), fallback);
    }
    return Reflection.construct(type, values);
  }

  /** Binds one value; on error reports it and returns {@code fallback}. */
  private Object bindValue(
      Type type, AnnotatedElement ann, JsonNode node, String path, Object fallback) {
    if (type instanceof ParameterizedType p) {
      Type raw = p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == Optional.class) {
        if (node.isNull()) {
          return Optional.empty();
        }
        Object inner = bindValue(args[0], ann, node, path, null);
        return inner == null ? fallback : Optional.of(inner);
      }
      if (raw == List.class) {
        return bindList(args[0], ann, node, path, fallback);
      }
      if (raw == Map.class) {
        return bindMap(args[1], ann, node, path, fallback);
      }
      throw new IllegalStateException("unsupported configuration type " + type);
    }
    Class<?> c = (Class<?>) type;
    Object result = bindScalar(c, ann, node, path);
    return result == null ? fallback : result;
  }

  private Object bindScalar(Class<?> c, AnnotatedElement ann, JsonNode node, String path) {
    if (c == boolean.class || c == Boolean.class) {
      return node.isBoolean() ? node.booleanValue() : typeError(c, node, path);
    }
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      return bindInteger(c, ann, node, path);
    }
    if (c == String.class) {
      return node.isTextual() ? oneOf(ann, node, path) : typeError(c, node, path);
    }
    if (c.isEnum() && ConfigEnum.class.isAssignableFrom(c)) {
      if (node.isTextual()) {
        for (Object constant : c.getEnumConstants()) {
          if (((ConfigEnum) constant).wire().equals(node.textValue())) {
            return constant;
          }
        }
      }
      return typeError(c, node, path);
    }
    if (ConfigValue.class.isAssignableFrom(c)) {
      try {
        return Reflection.fromConfig(c, node);
      } catch (ConfigValueException e) {
        problems.error(path, node, e.getMessage());
        return null;
      }
    }
    if (c.isRecord()) {
      return bindRecordValue(c, node, path);
    }
    throw new IllegalStateException("unsupported configuration type " + c);
  }

  private Object bindInteger(Class<?> c, AnnotatedElement ann, JsonNode node, String path) {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      return typeError(c, node, path);
    }
    long v = node.longValue();
    Range range = ann == null ? null : ann.getAnnotation(Range.class);
    long min = range != null ? range.min() : 0;
    long max =
        range != null
            ? range.max()
            : (c == int.class || c == Integer.class ? Integer.MAX_VALUE : Long.MAX_VALUE);
    if (v < min || v > max) {
      problems.error(path, node, "out of range; expected an integer from " + min + " to " + max);
      return null;
    }
    return c == int.class || c == Integer.class ? (Object) (int) v : (Object) v;
  }

  private Object bindList(
      Type element, AnnotatedElement ann, JsonNode node, String path, Object fallback) {
    if (node.isTextual() && element == String.class) {
      // mirrord's VecOrSingle: "a;b" is the list [a, b].
      return Arrays.stream(node.textValue().split(";"))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .collect(Collectors.toUnmodifiableList());
    }
    if (!node.isArray()) {
      problems.error(path, node, "expected " + TypeDescriptions.describe(new ListType(element)));
      return fallback;
    }
    List<Object> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String itemPath = path + "[" + i + "]";
      if (item.isNull()) {
        problems.error(itemPath, item, "expected " + TypeDescriptions.describe(element));
        ok = false;
        continue;
      }
      Object v = bindValue(element, ann, item, itemPath, null);
      if (v == null) {
        ok = false;
      } else {
        out.add(v);
      }
    }
    return ok ? Collections.unmodifiableList(out) : fallback;
  }

  private Object bindMap(
      Type value, AnnotatedElement ann, JsonNode node, String path, Object fallback) {
    if (!node.isObject()) {
      problems.error(path, node, "expected an object");
      return fallback;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    boolean ok = true;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String keyPath = Names.child(path, e.getKey());
      Object v = e.getValue().isNull() ? null : bindValue(value, ann, e.getValue(), keyPath, null);
      if (v == null) {
        if (e.getValue().isNull()) {
          problems.error(keyPath, e.getValue(), "expected " + TypeDescriptions.describe(value));
        }
        ok = false;
      } else {
        out.put(e.getKey(), v);
      }
    }
    return ok ? Collections.unmodifiableMap(out) : fallback;
  }

  /** The text of a string field, or null (reported) when {@link OneOf} does not list it. */
  private Object oneOf(AnnotatedElement ann, JsonNode node, String path) {
    OneOf allowed = ann == null ? null : ann.getAnnotation(OneOf.class);
    if (allowed == null || Arrays.asList(allowed.value()).contains(node.textValue())) {
      return node.textValue();
    }
    problems.error(
        path,
        node,
        "expected one of "
            + Arrays.stream(allowed.value())
                .map(v -> "\"" + v + "\"")
                .collect(Collectors.joining(", ")));
    return null;
  }

  private Object typeError(Class<?> c, JsonNode node, String path) {
    problems.error(path, node, "expected " + TypeDescriptions.describe(c));
    return null;
  }

  /** A {@code List<element>} type, only used to describe a list in a message. */
  private record ListType(Type element) implements ParameterizedType {
    @Override
    public Type[] getActualTypeArguments() {
      return new Type[] {element};
    }

    @Override
    public Type getRawType() {
      return List.class;
    }

    @Override
    public Type getOwnerType() {
      return null;
    }
  }
}
