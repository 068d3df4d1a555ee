package dev.mirrordj.verticles.cluster.impl;

import dev.mirrordj.protocol.auth.SharedSecret;
import dev.mirrordj.verticles.cluster.AgentTarget;
import dev.mirrordj.verticles.cluster.ClusterMembership;
import dev.mirrordj.verticles.cluster.ClusterVerticle;
import dev.mirrordj.verticles.cluster.OperatorState;
import dev.mirrordj.verticles.cluster.TargetAgents;
import dev.mirrordj.verticles.kube.AgentLaunchRequest;
import dev.mirrordj.verticles.kube.AgentPodSpecs;
import dev.mirrordj.verticles.kube.AgentPortForward;
import dev.mirrordj.verticles.kube.AgentSettings;
import dev.mirrordj.verticles.kube.KubeAgentLauncher;
import dev.mirrordj.verticles.kube.KubeAgentLauncher.PlacedAgent;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents for Kubernetes targets: an agent Job (or ephemeral container) created the way {@code run}
 * creates it for a direct session, one per target, recorded in the shared {@code agents} map so
 * that every node's sessions on the target use it. A cluster-wide lock per target makes "look up,
 * else create" atomic. Each node reaches the agent through a port-forward of its own, shared by its
 * sessions. The node that created an agent deletes its Job once the target has had no session for
 * the TTL; when that node is gone, any surviving node does. The agent's own idle TTL is longer, so
 * it also ends should every node be gone.
 */
public final class KubeTargetAgents implements TargetAgents {
  private static final Logger log = LoggerFactory.getLogger(KubeTargetAgents.class);
  private static final long SWEEP_MS = 1000;

  /** How much longer than the operator's TTL the agent itself waits before it ends. */
  private static final int AGENT_IDLE_MARGIN_S = 30;

  private final Vertx vertx;
  private final OperatorState state;
  private final ClusterMembership membership;
  private final KubeAccess kube;
  private final Duration ttl;
  private final Duration startup;
  private final Map<String, Forward> forwards = new ConcurrentHashMap<>();
  private final Map<String, Long> idleSince = new ConcurrentHashMap<>();
  private final long sweeper;

  /** This node's port-forward to one agent pod. */
  private record Forward(String pod, Future<AgentPortForward> open) {}

  public KubeTargetAgents(
      Vertx vertx,
      OperatorState state,
      ClusterMembership membership,
      KubeAccess kube,
      Duration ttl,
      Duration startup) {
    this.vertx = vertx;
    this.state = state;
    this.membership = membership;
    this.kube = kube;
    this.ttl = ttl;
    this.startup = startup;
    this.sweeper = vertx.setPeriodic(SWEEP_MS, t -> sweep());
  }

  @Override
  public Future<AgentAddress> acquire(AgentTarget target) {
    String key = target.key();
    return vertx
        .sharedData()
        .getLockWithTimeout("mirrordj.operator.agent." + key, startup.toMillis() + 10_000)
        .compose(
            lock ->
                state
                    .agents()
                    .get(key)
                    .compose(known -> known != null ? reuse(target, known) : place(target))
                    .onComplete(ar -> lock.release()))
        .compose(this::forward);
  }

  /** The recorded agent if its pod still runs, else a new one. */
  private Future<JsonObject> reuse(AgentTarget target, JsonObject known) {
    return vertx
        .executeBlocking(
            () -> {
              Pod pod =
                  kube.client()
                      .pods()
                      .inNamespace(known.getString("namespace"))
                      .withName(known.getString("pod"))
                      .get();
              return pod != null
                  && pod.getStatus() != null
                  && "Running".equals(pod.getStatus().getPhase())
                  && pod.getMetadata().getDeletionTimestamp() == null;
            },
            false)
        .compose(
            running -> {
              if (running) {
                idleSince.remove(target.key());
                log.info(
                    "sharing the agent of {} in pod {}/{}",
                    target,
                    known.getString("namespace"),
                    known.getString("pod"));
                return Future.succeededFuture(known);
              }
              log.warn(
                  "the agent of {} (pod {}) is gone; starting another",
                  target,
                  known.getString("pod"));
              return state
                  .agents()
                  .removeIfPresent(target.key(), known)
                  .compose(v -> place(target));
            });
  }

  private Future<JsonObject> place(AgentTarget target) {
    AgentSettings settings =
        AgentSettings.withDefaults().toBuilder()
            .idleTtl((int) ttl.toSeconds() + AGENT_IDLE_MARGIN_S)
            .startupTimeout((int) startup.toSeconds())
            .build();
    log.info("starting the agent for {}", target);
    return vertx
        .executeBlocking(
            () ->
                new KubeAgentLauncher(
                    vertx, kube.client(), line -> log.info("[{}] {}", target, line)),
            false)
        .compose(
            launcher ->
                launcher.place(AgentLaunchRequest.of(target.path(), target.namespace(), settings)))
        .compose(
            placed -> {
              JsonObject record =
                  new JsonObject()
                      .put("target", target.key())
                      .put("kind", "kube")
                      .put("namespace", placed.namespace())
                      .put("pod", placed.podName())
                      .put("container", placed.container())
                      .put("port", placed.port())
                      .put("job", placed.jobName())
                      .put("node", membership.localNodeId())
                      // every node's sessions prove it to this agent
                      .put("secret", placed.secret() == null ? null : placed.secret().text());
              return state.agents().put(target.key(), record).map(v -> record);
            });
  }

  /** This node's port-forward to the agent's pod, opened once and shared by its sessions. */
  private Future<AgentAddress> forward(JsonObject agent) {
    String key = agent.getString("target");
    String pod = agent.getString("pod");
    Forward existing = forwards.get(key);
    if (existing != null && existing.pod().equals(pod) && !existing.open().failed()) {
      return existing
          .open()
          .map(f -> new AgentAddress("127.0.0.1", f.localPort(), secretOf(agent)));
    }
    if (existing != null) closeForward(key, existing);
    Future<AgentPortForward> open =
        vertx
            .executeBlocking(kube::client, false)
            .compose(
                client ->
                    AgentPortForward.open(
                        vertx,
                        client,
                        agent.getString("namespace"),
                        pod,
                        agent.getInteger("port")));
    forwards.put(key, new Forward(pod, open));
    return open.map(f -> new AgentAddress("127.0.0.1", f.localPort(), secretOf(agent)));
  }

  private static SharedSecret secretOf(JsonObject agent) {
    String text = agent.getString("secret");
    return text == null ? null : SharedSecret.of(text, "the agent record's secret");
  }

  private void closeForward(String key, Forward forward) {
    forwards.remove(key, forward);
    forward.open().onSuccess(AgentPortForward::close);
  }

  /**
   * Removes agents of this node (or of nodes gone) whose target had no session for the TTL, and
   * this node's port-forwards to agents no longer recorded.
   */
  private void sweep() {
    Future<Map<String, JsonObject>> agents = state.agents().entries();
    Future<Map<String, JsonObject>> sessions = state.sessions().entries();
    Future.all(agents, sessions)
        .onSuccess(
            v -> {
              forwards.forEach(
                  (key, forward) -> {
                    JsonObject agent = agents.result().get(key);
                    if (agent == null || !forward.pod().equals(agent.getString("pod"))) {
                      closeForward(key, forward);
                    }
                  });
              List<String> live = membership.nodeIds();
              long now = System.nanoTime();
              agents
                  .result()
                  .forEach(
                      (key, agent) -> {
                        if (!"kube".equals(agent.getString("kind"))) return;
                        boolean mine = membership.localNodeId().equals(agent.getString("node"));
                        if (!mine && live.contains(agent.getString("node"))) return;
                        boolean used =
                            sessions.result().values().stream()
                                .anyMatch(s -> key.equals(ClusterVerticle.agentTarget(s)));
                        if (used) {
                          idleSince.remove(key);
                          return;
                        }
                        long since = idleSince.computeIfAbsent(key, k -> now);
                        if (now - since >= ttl.toNanos()) {
                          idleSince.remove(key);
                          remove(key, agent);
                        }
                      });
            });
  }

  private void remove(String key, JsonObject agent) {
    state
        .agents()
        .removeIfPresent(key, agent)
        .onSuccess(
            removed -> {
              if (!removed) return;
              log.info(
                  "removing the agent of {} (pod {}): no session for {} s",
                  key,
                  agent.getString("pod"),
                  ttl.toSeconds());
              Forward forward = forwards.get(key);
              if (forward != null) closeForward(key, forward);
              vertx.executeBlocking(
                  () -> {
                    placed(agent).remove(kube.client());
                    return null;
                  },
                  false);
            });
  }

  private static PlacedAgent placed(JsonObject agent) {
    return new PlacedAgent(
        agent.getString("namespace"),
        agent.getString("pod"),
        agent.getString("container", AgentPodSpecs.CONTAINER_NAME),
        agent.getInteger("port"),
        agent.getString("job"),
        "");
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(sweeper);
    forwards.forEach(this::closeForward);
    return state
        .agents()
        .entries()
        .compose(
            agents -> {
              List<JsonObject> mine =
                  agents.values().stream()
                      .filter(a -> "kube".equals(a.getString("kind")))
                      .filter(a -> membership.localNodeId().equals(a.getString("node")))
                      .toList();
              if (mine.isEmpty()) return Future.succeededFuture();
              return Future.all(
                      mine.stream()
                          .map(
                              a ->
                                  state
                                      .agents()
                                      .removeIfPresent(a.getString("target"), a)
                                      .recover(e -> Future.succeededFuture(false)))
                          .toList())
                  .compose(
                      v ->
                          vertx.executeBlocking(
                              () -> {
                                mine.forEach(a -> placed(a).remove(kube.client()));
                                return null;
                              },
                              false))
                  .mapEmpty();
            })
        .recover(e -> Future.succeededFuture())
        .mapEmpty();
  }
}
