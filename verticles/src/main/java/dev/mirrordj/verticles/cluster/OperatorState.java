package dev.mirrordj.verticles.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

/**
 * The operator's shared state: Vert.x async maps, which on a clustered Vert.x are Hazelcast maps
 * with a backup (see {@code HazelcastSetup}), so they outlive any one node.
 *
 * <ul>
 *   <li>{@code sessions}: session id → {@code id, user, display_name, target, node, node_address,
 *       on_concurrent_steal, ports[], filters[], started, undo[]} ({@code undo}: what ends with the
 *       session, e.g. a copied pod or a scaled-down deployment to restore)
 *   <li>{@code locks}: {@link #lockKey} → {@code port, target, session, user, node}
 *   <li>{@code nodes}: node id → {@code id, address, http}
 *   <li>{@code agents}: target → {@code target, host, port, pid, node}
 * </ul>
 */
public record OperatorState(
    AsyncMap<String, JsonObject> sessions,
    AsyncMap<String, JsonObject> locks,
    AsyncMap<String, JsonObject> nodes,
    AsyncMap<String, JsonObject> agents) {

  public static Future<OperatorState> open(Vertx vertx) {
    var data = vertx.sharedData();
    Future<AsyncMap<String, JsonObject>> sessions = data.getAsyncMap("mirrordj.operator.sessions");
    Future<AsyncMap<String, JsonObject>> locks = data.getAsyncMap("mirrordj.operator.locks");
    Future<AsyncMap<String, JsonObject>> nodes = data.getAsyncMap("mirrordj.operator.nodes");
    Future<AsyncMap<String, JsonObject>> agents = data.getAsyncMap("mirrordj.operator.agents");
    return Future.all(sessions, locks, nodes, agents)
        .map(
            v ->
                new OperatorState(
                    sessions.result(), locks.result(), nodes.result(), agents.result()));
  }

  /** A port lock is per target and port. */
  public static String lockKey(String target, int port) {
    return target + "|" + port;
  }
}
