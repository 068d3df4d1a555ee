package dev.mirrordj.config;

import dev.mirrordj.config.bind.ConfigName;
import java.util.Optional;

/** A Kubernetes pod toleration for the agent pod (field names as in Kubernetes). */
public record Toleration(
    Optional<String> key,
    Optional<String> operator,
    Optional<String> value,
    Optional<String> effect,
    @ConfigName("tolerationSeconds") Optional<Long> tolerationSeconds) {

  /** The default toleration: tolerate every taint. */
  public static final Toleration EXISTS =
      new Toleration(
          Optional.empty(),
          Optional.of("Exists"),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  static Toleration defaults() {
    return new Toleration(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
