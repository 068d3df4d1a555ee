package dev.mirrordj.verticles.kube;

import java.util.Optional;

/**
 * What to launch: an agent for {@code target} (empty = targetless) whose pod is shaped by {@code
 * agent}. {@code targetNamespace} is {@code target.namespace}; empty means the kubeconfig context's
 * namespace.
 */
public record AgentLaunchRequest(
    Optional<TargetRef> target, Optional<String> targetNamespace, AgentSettings agent) {

  public static AgentLaunchRequest targetless(AgentSettings agent) {
    return new AgentLaunchRequest(Optional.empty(), Optional.empty(), agent);
  }

  public static AgentLaunchRequest of(String targetPath, String namespace, AgentSettings agent) {
    return new AgentLaunchRequest(
        Optional.of(TargetRef.parse(targetPath)), Optional.ofNullable(namespace), agent);
  }
}
