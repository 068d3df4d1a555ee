package dev.mirrordj.config;

import java.util.Map;

/**
 * Resource requests and limits of the agent pod, Kubernetes quantities by resource name. Defaults:
 * requests cpu 1m / memory 1Mi, limits cpu 100m / memory 100Mi.
 */
public record AgentResources(Map<String, String> requests, Map<String, String> limits) {
  public AgentResources {
    requests = Immutable.map(requests);
    limits = Immutable.map(limits);
  }

  static AgentResources defaults() {
    return new AgentResources(
        Map.of("cpu", "1m", "memory", "1Mi"), Map.of("cpu", "100m", "memory", "100Mi"));
  }
}
