package dev.mirrordj.config.bind;

import java.lang.reflect.RecordComponent;

/** Maps record components to their configuration-file names. */
public final class Names {
  private Names() {}

  /**
   * {@code imagePullPolicy} becomes {@code image_pull_policy} unless {@link ConfigName} says
   * otherwise.
   */
  public static String of(RecordComponent component) {
    ConfigName explicit = component.getAnnotation(ConfigName.class);
    if (explicit != null) {
      return explicit.value();
    }
    String name = component.getName();
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Appends a field to a JSON path: {@code feature} + {@code fs} = {@code feature.fs}. */
  public static String child(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
