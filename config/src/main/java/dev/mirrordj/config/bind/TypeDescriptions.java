package dev.mirrordj.config.bind;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Human descriptions of what a field accepts, for error messages ("a boolean", "one of ..."). */
final class TypeDescriptions {
  private TypeDescriptions() {}

  static String describe(Type type) {
    if (type instanceof ParameterizedType p) {
      Type raw = p.getRawType();
      Type arg = p.getActualTypeArguments()[0];
      if (raw == Optional.class) {
        return describe(arg) + " or null";
      }
      if (raw == List.class) {
        return arg == String.class
            ? "a list of strings or a ';'-separated string"
            : "a list, each element " + describe(arg);
      }
      return "an object whose values are each " + describe(p.getActualTypeArguments()[1]);
    }
    Class<?> c = (Class<?>) type;
    if (c == boolean.class || c == Boolean.class) {
      return "a boolean";
    }
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      return "an integer";
    }
    if (c == String.class) {
      return "a string";
    }
    if (c.isEnum() && ConfigEnum.class.isAssignableFrom(c)) {
      return "one of " + enumValues(c);
    }
    if (c.isRecord()) {
      return recordForms(c);
    }
    return "a " + c.getSimpleName();
  }

  static String enumValues(Class<?> c) {
    return Arrays.stream(c.getEnumConstants())
        .map(e -> "\"" + ((ConfigEnum) e).wire() + "\"")
        .collect(Collectors.joining(", "));
  }

  static String recordForms(Class<?> c) {
    ShortForms forms = c.getAnnotation(ShortForms.class);
    List<String> accepted = new ArrayList<>();
    accepted.add("an object");
    if (forms != null && forms.bool()) {
      accepted.add("a boolean");
    }
    if (forms != null && !forms.anyString().isEmpty()) {
      accepted.add(forms.anyString());
    }
    if (forms != null && forms.strings().length > 0) {
      accepted.add(
          "one of "
              + Arrays.stream(forms.strings())
                  .map(s -> "\"" + s + "\"")
                  .collect(Collectors.joining(", ")));
    }
    return String.join(", ", accepted.subList(0, accepted.size() - 1))
        + (accepted.size() > 1 ? " or " : "")
        + accepted.get(accepted.size() - 1);
  }
}
