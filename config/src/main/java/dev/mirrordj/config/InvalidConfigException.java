package dev.mirrordj.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration has errors; the message lists all of them, one per line. */
public final class InvalidConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigError> errors;

  public InvalidConfigException(List<ConfigError> errors) {
    super(
        "invalid configuration:\n"
            + errors.stream().map(e -> "  - " + e.describe()).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
