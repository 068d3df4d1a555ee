package dev.mirrordj.config;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of resolving a configuration: the configuration (present only when there are no
 * errors), the warnings, and every error found.
 */
public record ResolveResult(
    Optional<MirrordConfig> config, List<String> warnings, List<ConfigError> errors) {
  public boolean ok() {
    return errors.isEmpty();
  }

  /**
   * The configuration; throws {@link InvalidConfigException} listing the errors if there were any.
   */
  public MirrordConfig orThrow() throws InvalidConfigException {
    if (!ok()) {
      throw new InvalidConfigException(errors);
    }
    return config.orElseThrow();
  }
}
