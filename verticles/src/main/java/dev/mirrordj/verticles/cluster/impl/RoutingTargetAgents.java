package dev.mirrordj.verticles.cluster.impl;

import dev.mirrordj.verticles.cluster.AgentTarget;
import dev.mirrordj.verticles.cluster.TargetAgents;
import io.vertx.core.Future;

/** Local {@code pid/} targets to one implementation, Kubernetes targets to the other. */
public final class RoutingTargetAgents implements TargetAgents {
  private final TargetAgents local;
  private final TargetAgents kube;

  public RoutingTargetAgents(TargetAgents local, TargetAgents kube) {
    this.local = local;
    this.kube = kube;
  }

  @Override
  public Future<AgentAddress> acquire(AgentTarget target) {
    return target.local() ? local.acquire(target) : kube.acquire(target);
  }

  @Override
  public Future<Void> close() {
    return Future.join(local.close(), kube.close()).mapEmpty();
  }
}
