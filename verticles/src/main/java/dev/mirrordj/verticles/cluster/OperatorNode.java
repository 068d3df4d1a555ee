package dev.mirrordj.verticles.cluster;

import dev.mirrordj.verticles.cluster.impl.HazelcastMembership;
import dev.mirrordj.verticles.cluster.impl.HazelcastSetup;
import dev.mirrordj.verticles.cluster.impl.KubeAccess;
import dev.mirrordj.verticles.cluster.impl.KubeSessionPreparation;
import dev.mirrordj.verticles.cluster.impl.KubeTargetAgents;
import dev.mirrordj.verticles.cluster.impl.LocalPidAgents;
import dev.mirrordj.verticles.cluster.impl.RoutingTargetAgents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * One operator node: a clustered Vert.x on Hazelcast with the {@link ClusterVerticle} (shared
 * state), the {@link SessionRouter} (the session port) and the {@link StatusVerticle} (HTTP).
 */
public final class OperatorNode {
  private final Vertx vertx;
  private final TargetAgents agents;
  private final AutoCloseable kube;
  private final int sessionPort;
  private final int httpPort;

  private OperatorNode(
      Vertx vertx, TargetAgents agents, AutoCloseable kube, int sessionPort, int httpPort) {
    this.vertx = vertx;
    this.agents = agents;
    this.kube = kube;
    this.sessionPort = sessionPort;
    this.httpPort = httpPort;
  }

  /**
   * Joins (or forms) the cluster and serves: local {@code pid/} targets with local agents,
   * Kubernetes targets through the node's Kubernetes API access (made on first use).
   */
  public static Future<OperatorNode> start(OperatorSettings s) {
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSetup.config(s));
    VertxOptions options =
        new VertxOptions()
            .setPreferNativeTransport(true)
            .setEventBusOptions(
                new EventBusOptions().setHost(s.host()).setPort(0).setClusterPublicHost(s.host()));
    return Vertx.builder()
        .with(options)
        .withClusterManager(manager)
        .buildClustered()
        .compose(
            vertx -> {
              ClusterMembership membership = new HazelcastMembership(manager);
              String http = s.host() + ":" + s.httpPort();
              return vertx
                  .deployVerticle(new ClusterVerticle(membership, s.sessionAddress(), http))
                  .compose(id -> OperatorState.open(vertx))
                  .compose(
                      state -> {
                        KubeAccess kube = new KubeAccess(vertx);
                        TargetAgents agents =
                            new RoutingTargetAgents(
                                new LocalPidAgents(
                                    vertx,
                                    state,
                                    membership,
                                    s.agentCommand(),
                                    s.agentTtl(),
                                    s.agentStartup()),
                                new KubeTargetAgents(
                                    vertx,
                                    state,
                                    membership,
                                    kube,
                                    s.agentTtl(),
                                    s.agentStartup()));
                        SessionTargetPreparation preparation =
                            new KubeSessionPreparation(vertx, state, membership, kube);
                        SessionRouter router = new SessionRouter(s, agents, preparation);
                        StatusVerticle status = new StatusVerticle(s.host(), s.httpPort());
                        return vertx
                            .deployVerticle(router)
                            .compose(id -> vertx.deployVerticle(status))
                            .map(
                                id ->
                                    new OperatorNode(
                                        vertx,
                                        agents,
                                        kube,
                                        router.actualPort(),
                                        status.actualPort()));
                      })
                  .onFailure(e -> vertx.close());
            });
  }

  public Vertx vertx() {
    return vertx;
  }

  public int sessionPort() {
    return sessionPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** Stops its agents, leaves the cluster (the others release its sessions and locks). */
  public Future<Void> close() {
    return agents
        .close()
        .transform(
            ar -> {
              try {
                kube.close();
              } catch (Exception e) {
                // leaving anyway
              }
              return vertx.close();
            });
  }
}
