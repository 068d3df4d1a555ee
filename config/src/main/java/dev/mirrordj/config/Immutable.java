package dev.mirrordj.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Defensive copies for the model's compact constructors, so every record is deeply immutable. */
final class Immutable {
  private Immutable() {}

  static <T> List<T> list(List<T> list) {
    return List.copyOf(list);
  }

  static <T> Optional<List<T>> list(Optional<List<T>> list) {
    return list.map(List::copyOf);
  }

  /** Keeps the insertion order (e.g. of env overrides) unlike {@link Map#copyOf}. */
  static <V> Map<String, V> map(Map<String, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
