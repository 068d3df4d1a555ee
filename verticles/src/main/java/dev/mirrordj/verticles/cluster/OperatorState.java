package dev.mirrordj.verticles.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;

/**
 * The operator's shared state: Vert.x async maps, which on a clustered Vert.x are Hazelcast maps
 * with a backup (see {@code HazelcastSetup}), so they outlive any one node.
 *
 * <ul>
 *   <li>{@code sessions}: session id → {@code id, user, display_name, target, namespace,
 *       agent_target, copy, node, node_address, on_concurrent_steal, ports[], filters[], started}
 *       ({@code agent_target}: the key of the agent the session uses, see {@link AgentTarget#key})
 *   <li>{@code locks}: {@link #lockKey} → {@code port, target, session, user, node}
 *   <li>{@code nodes}: node id → {@code id, address, http}
 *   <li>{@code agents}: agent target key → {@code target, kind, node} and for a local agent {@code
 *       host, port, pid}, for a Kubernetes agent {@code namespace, pod, port, job}
 *   <li>{@code undo}: session id → what its target preparation changed in the cluster (a copy pod,
 *       a scaled-down deployment and its replicas) and {@code node}, written before the change, so
 *       that a surviving node can undo it when the session's node dies
 * </ul>
 */
public record OperatorState(
    AsyncMap<String, JsonObject> sessions,
    AsyncMap<String, JsonObject> locks,
    AsyncMap<String, JsonObject> nodes,
    AsyncMap<String, JsonObject> agents,
    AsyncMap<String, JsonObject> undo) {

  public static Future<OperatorState> open(Vertx vertx) {
    var data = vertx.sharedData();
    Future<AsyncMap<String, JsonObject>> sessions = data.getAsyncMap("mirrordj.operator.sessions");
    Future<AsyncMap<String, JsonObject>> locks = data.getAsyncMap("mirrordj.operator.locks");
    Future<AsyncMap<String, JsonObject>> nodes = data.getAsyncMap("mirrordj.operator.nodes");
    Future<AsyncMap<String, JsonObject>> agents = data.getAsyncMap("mirrordj.operator.agents");
    Future<AsyncMap<String, JsonObject>> undo = data.getAsyncMap("mirrordj.operator.undo");
    return Future.all(List.of(sessions, locks, nodes, agents, undo))
        .map(
            v ->
                new OperatorState(
                    sessions.result(),
                    locks.result(),
                    nodes.result(),
                    agents.result(),
                    undo.result()));
  }

  /** A port lock is per target and port. */
  public static String lockKey(String target, int port) {
    return target + "|" + port;
  }
}
