package dev.mirrordj.config.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** The reflective conventions of the configuration model, in one place. */
public final class Reflection {
  private Reflection() {}

  /** The default instance of a section: its {@code static defaults()} method. */
  public static Object defaults(Class<?> recordType) {
    return invokeStatic(recordType, "defaults", new Class<?>[0]);
  }

  /** Applies the section's {@code static expand(JsonNode)} if it declares shortened forms. */
  public static JsonNode expand(Class<?> recordType, JsonNode node) {
    if (recordType.getAnnotation(ShortForms.class) == null) {
      return node;
    }
    return (JsonNode) invokeStatic(recordType, "expand", new Class<?>[] {JsonNode.class}, node);
  }

  /** Parses a {@link ConfigValue} type through its {@code static fromConfig(JsonNode)}. */
  public static Object fromConfig(Class<?> valueType, JsonNode node) throws ConfigValueException {
    try {
      Method m = valueType.getMethod("fromConfig", JsonNode.class);
      return m.invoke(null, node);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof ConfigValueException cve) {
        throw cve;
      }
      throw new IllegalStateException(valueType + ".fromConfig failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(valueType + " must declare static fromConfig(JsonNode)", e);
    }
  }

  /** The JSON schema of a {@link ConfigValue} type, from its {@code static jsonSchema()}. */
  public static ObjectNode valueSchema(Class<?> valueType) {
    return (ObjectNode) invokeStatic(valueType, "jsonSchema", new Class<?>[0]);
  }

  /** Reads one component of a record. */
  public static Object component(Record record, RecordComponent component) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component, e);
    }
  }

  /** Builds a record from its component values in declaration order. */
  public static Object construct(Class<?> recordType, Object[] values) {
    Class<?>[] types =
        Arrays.stream(recordType.getRecordComponents())
            .map(RecordComponent::getType)
            .toArray(Class<?>[]::new);
    try {
      Constructor<?> c = recordType.getDeclaredConstructor(types);
      c.setAccessible(true);
      return c.newInstance(values);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot build " + recordType.getSimpleName(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + recordType.getSimpleName(), e);
    }
  }

  private static Object invokeStatic(
      Class<?> type, String name, Class<?>[] params, Object... args) {
    try {
      Method m = type.getDeclaredMethod(name, params);
      m.setAccessible(true);
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(type.getSimpleName() + "." + name + " failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type.getSimpleName() + " must declare static " + name, e);
    }
  }
}
