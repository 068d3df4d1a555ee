package dev.mirrordj.verticles.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The status document of {@code mirrord operator status -o json} and the JSON API: {@code nodes}
 * ({@code address, alive}), {@code sessions} ({@code id, user, display_name, target, node, ports,
 * filters, started}, and for a Kubernetes target {@code namespace} and, with copy_target, {@code
 * copy}) and {@code locks} ({@code port, target, session, user, display_name}).
 */
public final class StatusDocument {
  private StatusDocument() {}

  public static JsonObject build(
      List<String> liveNodes,
      Map<String, JsonObject> nodes,
      Map<String, JsonObject> sessions,
      Map<String, JsonObject> locks) {
    JsonArray nodeList = new JsonArray();
    nodes.values().stream()
        .sorted(Comparator.comparing(n -> n.getString("address")))
        .forEach(
            n ->
                nodeList.add(
                    new JsonObject()
                        .put("address", n.getString("address"))
                        .put("http", n.getString("http"))
                        .put("alive", liveNodes.contains(n.getString("id")))));
    JsonArray sessionList = new JsonArray();
    sessions.values().stream()
        .sorted(Comparator.comparing(s -> s.getString("started")))
        .forEach(
            s -> {
              JsonObject session =
                  new JsonObject()
                      .put("id", s.getString("id"))
                      .put("user", s.getString("user"))
                      .put("display_name", s.getString("display_name", ""))
                      .put("target", s.getString("target"))
                      .put("node", s.getString("node_address"))
                      .put("ports", s.getJsonArray("ports", new JsonArray()))
                      .put("filters", s.getJsonArray("filters", new JsonArray()))
                      .put("started", s.getString("started"));
              // Kubernetes targets: where, and the copy pod the session runs on (copy_target)
              String ns = s.getString("namespace", "");
              if (!ns.isEmpty()) session.put("namespace", ns);
              if (s.containsKey("copy")) session.put("copy", s.getString("copy"));
              sessionList.add(session);
            });
    JsonArray lockList = new JsonArray();
    locks.values().stream()
        .sorted(
            Comparator.comparing((JsonObject l) -> l.getString("target"))
                .thenComparing(l -> l.getInteger("port")))
        .forEach(
            l ->
                lockList.add(
                    new JsonObject()
                        .put("port", l.getInteger("port"))
                        .put("target", l.getString("target"))
                        .put("session", l.getString("session"))
                        .put("user", l.getString("user"))
                        .put("display_name", l.getString("display_name", ""))));
    return new JsonObject()
        .put("nodes", nodeList)
        .put("sessions", sessionList)
        .put("locks", lockList);
  }
}
