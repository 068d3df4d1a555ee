package dev.mirrordj.config.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Generates a JSON Schema (draft-07) of the configuration from the model records, the same types
 * the binder reads: object forms with {@code additionalProperties: false}, shortened forms from
 * {@link ShortForms}, ranges from {@link Range}, enum values, and each field's default.
 */
public final class SchemaGenerator {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Records being described, outermost first: a record met again refers to its definition. */
  private final Deque<Class<?>> inProgress = new ArrayDeque<>();

  private final Set<Class<?>> recursive = new HashSet<>();
  private final ObjectNode definitions = F.objectNode();

  private SchemaGenerator() {}

  public static ObjectNode generate(Class<?> rootType, String title) {
    SchemaGenerator generator = new SchemaGenerator();
    ObjectNode schema = F.objectNode();
    schema.put("$schema", "http://json-schema.org/draft-07/schema#");
    schema.put("title", title);
    schema.setAll(generator.record(rootType));
    if (!generator.definitions.isEmpty()) {
      schema.set("definitions", generator.definitions);
    }
    return schema;
  }

  private ObjectNode record(Class<?> type) {
    String name = type.getSimpleName();
    if (inProgress.contains(type)) {
      // a record that contains itself (nested HTTP filters) is described once, by reference
      recursive.add(type);
      return F.objectNode().put("$ref", "#/definitions/" + name);
    }
    inProgress.push(type);
    ObjectNode described = describeRecord(type);
    inProgress.pop();
    if (recursive.contains(type)) {
      definitions.set(name, described.deepCopy());
    }
    return described;
  }

  private ObjectNode describeRecord(Class<?> type) {
    ObjectNode obj = F.objectNode().put("type", "object").put("additionalProperties", false);
    ObjectNode props = obj.putObject("properties");
    Object defaults = Reflection.defaults(type);
    for (RecordComponent c : type.getRecordComponents()) {
      ObjectNode field = schema(c.getGenericType(), c);
      JsonNode def = ConfigTreeWriter.write(Reflection.component((Record) defaults, c));
      field.set("default", def);
      props.set(Names.of(c), field);
    }
    ShortForms forms = type.getAnnotation(ShortForms.class);
    if (forms == null) {
      return obj;
    }
    ArrayNode any = F.arrayNode().add(obj);
    if (forms.bool()) {
      any.add(F.objectNode().put("type", "boolean"));
    }
    if (!forms.anyString().isEmpty()) {
      ObjectNode string =
          F.objectNode().put("type", "string").put("description", forms.anyString());
      if (!forms.stringPattern().isEmpty()) {
        string.put("pattern", forms.stringPattern());
      }
      any.add(string);
    }
    if (forms.strings().length > 0) {
      ObjectNode s = F.objectNode().put("type", "string");
      ArrayNode values = s.putArray("enum");
      for (String v : forms.strings()) {
        values.add(v);
      }
      any.add(s);
    }
    ObjectNode out = F.objectNode();
    out.set("anyOf", any);
    return out;
  }

  private ObjectNode schema(Type type, AnnotatedElement ann) {
    if (type instanceof ParameterizedType p) {
      Type raw = p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == Optional.class) {
        ObjectNode out = F.objectNode();
        out.putArray("anyOf").add(schema(args[0], ann)).add(F.objectNode().put("type", "null"));
        return out;
      }
      if (raw == List.class) {
        ObjectNode array = F.objectNode().put("type", "array");
        array.set("items", schema(args[0], ann));
        if (args[0] != String.class) {
          return array;
        }
        ObjectNode out = F.objectNode();
        out.putArray("anyOf")
            .add(array)
            .add(F.objectNode().put("type", "string").put("description", "';'-separated list"));
        return out;
      }
      if (raw == Map.class) {
        ObjectNode map = F.objectNode().put("type", "object");
        map.set("additionalProperties", schema(args[1], ann));
        return map;
      }
    }
    Class<?> c = (Class<?>) type;
    if (c == boolean.class || c == Boolean.class) {
      return F.objectNode().put("type", "boolean");
    }
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      ObjectNode n = F.objectNode().put("type", "integer");
      Range r = ann == null ? null : ann.getAnnotation(Range.class);
      n.put("minimum", r == null ? 0 : r.min());
      if (r != null && r.max() != Long.MAX_VALUE) {
        n.put("maximum", r.max());
      }
      return n;
    }
    if (c == String.class) {
      ObjectNode n = F.objectNode().put("type", "string");
      OneOf oneOf = ann == null ? null : ann.getAnnotation(OneOf.class);
      if (oneOf != null) {
        ArrayNode values = n.putArray("enum");
        for (String v : oneOf.value()) {
          values.add(v);
        }
      }
      return n;
    }
    if (c.isEnum() && ConfigEnum.class.isAssignableFrom(c)) {
      ObjectNode n = F.objectNode().put("type", "string");
      ArrayNode values = n.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(((ConfigEnum) constant).wire());
      }
      return n;
    }
    if (ConfigValue.class.isAssignableFrom(c)) {
      return Reflection.valueSchema(c).deepCopy();
    }
    if (c.isRecord()) {
      return record(c);
    }
    throw new IllegalStateException("no schema for " + type);
  }
}
