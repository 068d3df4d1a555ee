package dev.mirrordj.config;

import dev.mirrordj.config.bind.Range;
import java.util.Optional;

/**
 * {@code agent.dns}: resolver settings for lookups the agent makes for the session (system defaults
 * when unset).
 */
public record AgentDns(
    @Range(min = 1, max = 3600) Optional<Integer> timeout,
    @Range(min = 1, max = 100) Optional<Integer> attempts) {
  static AgentDns defaults() {
    return new AgentDns(Optional.empty(), Optional.empty());
  }
}
