package dev.mirrordj.verticles.cluster.impl;

import dev.mirrordj.protocol.auth.SharedSecret;
import dev.mirrordj.verticles.agents.LocalAgent;
import dev.mirrordj.verticles.cluster.AgentTarget;
import dev.mirrordj.verticles.cluster.ClusterMembership;
import dev.mirrordj.verticles.cluster.ClusterVerticle;
import dev.mirrordj.verticles.cluster.OperatorState;
import dev.mirrordj.verticles.cluster.TargetAgents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents for local {@code pid/} targets: a {@link LocalAgent} process on this machine, recorded in
 * the shared {@code agents} map so that every node's sessions on the target use the same one (two
 * agents on one target would fight over its redirect rules). A cluster-wide lock per target makes
 * "look up, else start" atomic. The node that started an agent stops it after the TTL without
 * sessions; a node that finds the owner gone adopts the agent (it is a process on this machine).
 */
public final class LocalPidAgents implements TargetAgents {
  private static final Logger log = LoggerFactory.getLogger(LocalPidAgents.class);
  private static final long SWEEP_MS = 1000;

  /** How much longer than the node's TTL an idle agent waits before it ends by itself. */
  private static final long AGENT_IDLE_MARGIN_S = 30;

  private final Vertx vertx;
  private final OperatorState state;
  private final ClusterMembership membership;
  private final List<String> agentCommand;
  private final Duration ttl;
  private final Duration startup;
  private final Map<String, LocalAgent> started = new HashMap<>();
  private final Map<String, Long> idleSince = new HashMap<>();
  private final long sweeper;

  public LocalPidAgents(
      Vertx vertx,
      OperatorState state,
      ClusterMembership membership,
      List<String> agentCommand,
      Duration ttl,
      Duration startup) {
    this.vertx = vertx;
    this.state = state;
    this.membership = membership;
    this.agentCommand = List.copyOf(agentCommand);
    this.ttl = ttl;
    this.startup = startup;
    this.sweeper = vertx.setPeriodic(SWEEP_MS, t -> sweep());
  }

  @Override
  public Future<AgentAddress> acquire(AgentTarget agentTarget) {
    String target = agentTarget.path();
    if (!agentTarget.local()) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "target " + target + ": this operator starts agents for pid/<pid> targets only"));
    }
    long pid;
    try {
      pid = Long.parseLong(target.substring(4));
    } catch (NumberFormatException e) {
      return Future.failedFuture(new IllegalArgumentException("target " + target + ": not a pid"));
    }
    return vertx
        .sharedData()
        .getLockWithTimeout("mirrordj.operator.agent." + target, startup.toMillis() + 5000)
        .compose(
            lock ->
                state
                    .agents()
                    .get(target)
                    .compose(
                        known -> {
                          if (known != null && running(known)) {
                            return Future.succeededFuture(
                                new AgentAddress(
                                    known.getString("host"),
                                    known.getInteger("port"),
                                    known.getString("secret") == null
                                        ? null
                                        : SharedSecret.of(known.getString("secret"), "secret")));
                          }
                          return start(target, pid);
                        })
                    .onComplete(ar -> lock.release()));
  }

  private static boolean running(JsonObject agent) {
    return ProcessHandle.of(agent.getLong("pid")).map(ProcessHandle::isAlive).orElse(false);
  }

  private Future<AgentAddress> start(String target, long pid) {
    log.info("starting the agent for {}", target);
    return vertx
        .executeBlocking(
            () ->
                // the agent's own idle TTL ends it too, should this node be gone by then; it is
                // longer than the node's TTL, or the agent could be closing its listener just
                // when the node hands it to a new session
                LocalAgent.start(
                    agentCommand,
                    pid,
                    startup,
                    List.of(
                        "--idle-ttl",
                        Long.toString(ttl.toSeconds() + AGENT_IDLE_MARGIN_S),
                        "--communication-timeout",
                        Long.toString(Math.max(30, ttl.toSeconds())))),
            false)
        .compose(
            agent -> {
              started.put(target, agent);
              // the session that asked for it is not recorded until it has connected and proven
              // the agent's secret, which on a loaded node takes seconds: the idle clock starts
              // after that much grace, or the sweep could stop the agent under its first session
              idleSince.put(target, System.nanoTime() + startup.toNanos());
              JsonObject record =
                  new JsonObject()
                      .put("target", target)
                      .put("kind", "local")
                      .put("host", "127.0.0.1")
                      .put("port", agent.port())
                      .put("pid", agent.pid())
                      .put("node", membership.localNodeId())
                      // every node's sessions on this target connect to this agent
                      .put("secret", agent.secret().text());
              return state
                  .agents()
                  .put(target, record)
                  .map(v -> new AgentAddress("127.0.0.1", agent.port(), agent.secret()));
            });
  }

  /** Stops agents of this node (or of nodes gone) whose target had no session for the TTL. */
  private void sweep() {
    Future<Map<String, JsonObject>> agents = state.agents().entries();
    Future<Map<String, JsonObject>> sessions = state.sessions().entries();
    Future.all(agents, sessions)
        .onSuccess(
            v -> {
              List<String> live = membership.nodeIds();
              long now = System.nanoTime();
              agents
                  .result()
                  .forEach(
                      (target, agent) -> {
                        if (!"local".equals(agent.getString("kind", "local"))) return;
                        boolean mine = membership.localNodeId().equals(agent.getString("node"));
                        boolean orphan = !live.contains(agent.getString("node"));
                        if (!mine && !orphan) return;
                        boolean used =
                            sessions.result().values().stream()
                                .anyMatch(s -> target.equals(ClusterVerticle.agentTarget(s)));
                        if (used || !running(agent) && started.get(target) == null) {
                          idleSince.remove(target);
                          if (!running(agent)) state.agents().removeIfPresent(target, agent);
                          return;
                        }
                        long since = idleSince.computeIfAbsent(target, t -> now);
                        if (now - since >= ttl.toNanos()) {
                          idleSince.remove(target);
                          stop(target, agent);
                        }
                      });
            });
  }

  private void stop(String target, JsonObject agent) {
    log.info("stopping the agent for {}: no session for {} s", target, ttl.toSeconds());
    state
        .agents()
        .removeIfPresent(target, agent)
        .onSuccess(
            removed -> {
              if (!removed) return;
              LocalAgent mine = started.remove(target);
              vertx.executeBlocking(
                  () -> {
                    if (mine != null) mine.close();
                    else {
                      Optional<ProcessHandle> p = ProcessHandle.of(agent.getLong("pid"));
                      p.ifPresent(
                          h -> {
                            h.descendants().forEach(ProcessHandle::destroy);
                            h.destroy();
                          });
                    }
                    return null;
                  },
                  false);
            });
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(sweeper);
    Map<String, LocalAgent> mine = new HashMap<>(started);
    started.clear();
    return Future.all(
            mine.keySet().stream()
                .map(t -> state.agents().remove(t).recover(e -> Future.succeededFuture()))
                .toList())
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> {
                      mine.values().forEach(LocalAgent::close);
                      return null;
                    },
                    false))
        .mapEmpty();
  }
}
