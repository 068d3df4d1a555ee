package dev.mirrordj.verticles.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the operator's shared state ({@link OperatorState}) for this node: records sessions, grants
 * and moves port locks under the {@code on_concurrent_steal} rules, answers the status document,
 * kills sessions anywhere in the cluster, and when a node leaves, releases what it held. Reached
 * through {@link OperatorAddresses}.
 *
 * <p>A port lock is what an unfiltered steal takes: the whole port goes to one session. A filtered
 * steal takes no lock (several users share the port, each with its filter) but cannot be granted on
 * a port another session holds locked.
 */
public final class ClusterVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ClusterVerticle.class);

  private final ClusterMembership membership;
  private final String nodeAddress;
  private final String httpAddress;
  private static final long SWEEP_MS = 2000;

  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private OperatorState state;
  private long sweeper = -1;

  /**
   * @param nodeAddress where this node accepts sessions (HOST:PORT), shown in the status
   * @param httpAddress where this node serves its status page (HOST:PORT)
   */
  public ClusterVerticle(ClusterMembership membership, String nodeAddress, String httpAddress) {
    this.membership = membership;
    this.nodeAddress = nodeAddress;
    this.httpAddress = httpAddress;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    return OperatorState.open(vertx)
        .compose(
            s -> {
              state = s;
              String me = membership.localNodeId();
              return state
                  .nodes()
                  .put(
                      me,
                      new JsonObject()
                          .put("id", me)
                          .put("address", nodeAddress)
                          .put("http", httpAddress));
            })
        .compose(
            v -> {
              consumers.add(
                  bus.<JsonObject>localConsumer(OperatorAddresses.SESSION_OPEN, this::open));
              consumers.add(
                  bus.<JsonObject>localConsumer(OperatorAddresses.SESSION_CLOSE, this::close));
              consumers.add(
                  bus.<JsonObject>localConsumer(OperatorAddresses.PORT_CLAIM, this::claim));
              consumers.add(
                  bus.<JsonObject>localConsumer(OperatorAddresses.PORT_RELEASE, this::release));
              consumers.add(bus.<JsonObject>localConsumer(OperatorAddresses.STATUS, this::status));
              consumers.add(
                  bus.<JsonObject>localConsumer(OperatorAddresses.SESSION_KILL, this::kill));
              var context = vertx.getOrCreateContext();
              membership.onNodeLeft(id -> context.runOnContext(x -> nodeLeft(id)));
              sweeper = vertx.setPeriodic(SWEEP_MS, t -> releaseOrphans());
              return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  private void open(Message<JsonObject> m) {
    JsonObject session =
        m.body()
            .copy()
            .put("node", membership.localNodeId())
            .put("node_address", nodeAddress)
            .put("ports", new JsonArray())
            .put("filters", new JsonArray())
            .put("started", Instant.now().toString());
    String id = session.getString("id");
    state
        .sessions()
        .putIfAbsent(id, session)
        .onSuccess(
            existing -> {
              if (existing != null) {
                m.fail(409, "session id " + id + " is already in use");
              } else {
                log.info(
                    "[session {}] opened by {} on {}",
                    id,
                    userOf(session),
                    session.getString("target"));
                m.reply(session);
              }
            })
        .onFailure(e -> m.fail(500, e.getMessage()));
  }

  private void close(Message<JsonObject> m) {
    String id = m.body().getString("id");
    forget(id).onComplete(ar -> m.reply(null));
  }

  /** Removes the session and every lock it holds. */
  private Future<Void> forget(String id) {
    return state
        .sessions()
        .remove(id)
        .compose(
            removed -> {
              if (removed != null) log.info("[session {}] closed", id);
              return state.locks().entries();
            })
        .compose(
            locks -> {
              List<Future<?>> removals = new ArrayList<>();
              locks.forEach(
                  (key, lock) -> {
                    if (id.equals(lock.getString("session"))) {
                      removals.add(state.locks().removeIfPresent(key, lock));
                      log.info(
                          "[session {}] released the lock on port {} of {}",
                          id,
                          lock.getInteger("port"),
                          lock.getString("target"));
                    }
                  });
              return Future.all(removals).mapEmpty();
            });
  }

  private void claim(Message<JsonObject> m) {
    JsonObject req = m.body();
    String sessionId = req.getString("session");
    int port = req.getInteger("port");
    String filter = req.getString("filter", "");
    boolean steal = "steal".equals(req.getString("mode"));
    state
        .sessions()
        .get(sessionId)
        .compose(
            session -> {
              if (session == null) {
                return Future.failedFuture("unknown session " + sessionId);
              }
              if (!steal) return grant(session, port, "mirror", filter);
              String key = OperatorState.lockKey(agentTarget(session), port);
              return state
                  .locks()
                  .get(key)
                  .compose(
                      lock -> {
                        if (lock != null && !sessionId.equals(lock.getString("session"))) {
                          return conflict(session, port, filter, key, lock);
                        }
                        if (!filter.isEmpty()) {
                          log.info(
                              "[session {}] {} steals port {} of {} with filter {}",
                              sessionId,
                              userOf(session),
                              port,
                              session.getString("target"),
                              filter);
                          return grant(session, port, "steal", filter);
                        }
                        return state
                            .locks()
                            .putIfAbsent(key, lockOf(session, port))
                            .compose(
                                raced -> {
                                  if (raced != null
                                      && !sessionId.equals(raced.getString("session"))) {
                                    return conflict(session, port, filter, key, raced);
                                  }
                                  log.info(
                                      "[session {}] {} locked port {} of {}",
                                      sessionId,
                                      userOf(session),
                                      port,
                                      session.getString("target"));
                                  return grant(session, port, "steal", filter);
                                });
                      });
            })
        .onSuccess(m::reply)
        .onFailure(e -> m.fail(500, e.getMessage()));
  }

  private static JsonObject lockOf(JsonObject session, int port) {
    return new JsonObject()
        .put("port", port)
        .put("target", session.getString("target"))
        .put("session", session.getString("id"))
        .put("user", session.getString("user"))
        .put("display_name", session.getString("display_name", ""))
        .put("node", session.getString("node"));
  }

  /** Port {@code port} is locked by another session: the claimer's on_concurrent_steal decides. */
  private Future<JsonObject> conflict(
      JsonObject session, int port, String filter, String key, JsonObject lock) {
    String holder = lock.getString("session");
    String holderUser = userOf(lock);
    String target = session.getString("target");
    String mode = session.getString("on_concurrent_steal", "abort");
    String held =
        "port "
            + port
            + " of "
            + target
            + " is locked by "
            + holderUser
            + " (session "
            + holder
            + ")";
    JsonObject answer =
        new JsonObject().put("holder_session", holder).put("holder_user", holderUser);
    switch (mode) {
      case "continue" -> {
        log.info(
            "[session {}] {} runs without port {}: {}",
            session.getString("id"),
            userOf(session),
            port,
            held);
        return Future.succeededFuture(
            answer
                .put("outcome", "continue")
                .put(
                    "message",
                    held
                        + "; on_concurrent_steal is \"continue\", so this session runs without"
                        + " that port"));
      }
      case "override" -> {
        JsonObject mine = filter.isEmpty() ? lockOf(session, port) : null;
        Future<Boolean> moved =
            mine == null
                ? state.locks().removeIfPresent(key, lock)
                : state.locks().replaceIfPresent(key, lock, mine);
        return moved.compose(
            ok -> {
              if (!ok)
                return Future.failedFuture(
                    "the lock on port " + port + " changed meanwhile; try again");
              String reason =
                  userOf(session)
                      + " (session "
                      + session.getString("id")
                      + ") took over port "
                      + port
                      + " of "
                      + target
                      + " with on_concurrent_steal \"override\"; this session ends";
              log.warn(
                  "[session {}] {} overrode the lock of {} (session {}) on port {} of {}",
                  session.getString("id"),
                  userOf(session),
                  holderUser,
                  holder,
                  port,
                  target);
              return vertx
                  .eventBus()
                  .request(
                      OperatorAddresses.sessionEnd(holder), new JsonObject().put("reason", reason))
                  .transform(ar -> forget(holder))
                  .compose(v -> grant(session, port, "steal", filter))
                  .map(g -> g.put("outcome", "overrode").mergeIn(answer));
            });
      }
      default -> {
        log.info("[session {}] {} refused: {}", session.getString("id"), userOf(session), held);
        return Future.succeededFuture(
            answer
                .put("outcome", "refused")
                .put(
                    "message",
                    held
                        + "; set feature.network.incoming.on_concurrent_steal to \"continue\" or"
                        + " \"override\""));
      }
    }
  }

  /** Records the port (and filter) in the session for the status. */
  private Future<JsonObject> grant(JsonObject session, int port, String mode, String filter) {
    String id = session.getString("id");
    return state
        .sessions()
        .get(id)
        .compose(
            current -> {
              if (current == null) return Future.succeededFuture();
              JsonArray ports = current.getJsonArray("ports", new JsonArray());
              if (!ports.contains(port)) ports.add(port);
              JsonArray filters = current.getJsonArray("filters", new JsonArray());
              if (!filter.isEmpty())
                filters.add(new JsonObject().put("port", port).put("filter", filter));
              return state.sessions().put(id, current.put("ports", ports).put("filters", filters));
            })
        .map(v -> new JsonObject().put("outcome", "granted").put("mode", mode));
  }

  private void release(Message<JsonObject> m) {
    String id = m.body().getString("session");
    int port = m.body().getInteger("port");
    state
        .sessions()
        .get(id)
        .compose(
            session -> {
              if (session == null) return Future.succeededFuture();
              JsonArray ports = session.getJsonArray("ports", new JsonArray());
              ports.remove(Integer.valueOf(port));
              JsonArray filters = new JsonArray();
              session
                  .getJsonArray("filters", new JsonArray())
                  .forEach(
                      f -> {
                        if (((JsonObject) f).getInteger("port") != port) filters.add(f);
                      });
              String key = OperatorState.lockKey(agentTarget(session), port);
              return state
                  .sessions()
                  .put(id, session.put("ports", ports).put("filters", filters))
                  .compose(v -> state.locks().get(key))
                  .compose(
                      lock ->
                          lock != null && id.equals(lock.getString("session"))
                              ? state.locks().removeIfPresent(key, lock).mapEmpty()
                              : Future.succeededFuture());
            })
        .onComplete(ar -> m.reply(null));
  }

  private void status(Message<JsonObject> m) {
    Future<Map<String, JsonObject>> nodes = state.nodes().entries();
    Future<Map<String, JsonObject>> sessions = state.sessions().entries();
    Future<Map<String, JsonObject>> locks = state.locks().entries();
    Future.all(nodes, sessions, locks)
        .onSuccess(
            v ->
                m.reply(
                    StatusDocument.build(
                        membership.nodeIds(), nodes.result(), sessions.result(), locks.result())))
        .onFailure(e -> m.fail(500, e.getMessage()));
  }

  private void kill(Message<JsonObject> m) {
    String id = m.body().getString("id");
    state
        .sessions()
        .get(id)
        .onSuccess(
            session -> {
              if (session == null) {
                m.fail(404, "no session " + id);
                return;
              }
              log.info("[session {}] killed on request (mirrord operator session kill)", id);
              vertx
                  .eventBus()
                  .request(
                      OperatorAddresses.sessionEnd(id),
                      new JsonObject()
                          .put("reason", "the session was killed (mirrord operator session kill)"))
                  .onComplete(
                      ar -> {
                        // its node is gone or did not answer: forget it here
                        Future<Void> done = ar.succeeded() ? Future.succeededFuture() : forget(id);
                        done.onComplete(x -> m.reply(new JsonObject().put("killed", id)));
                      });
            })
        .onFailure(e -> m.fail(500, e.getMessage()));
  }

  /**
   * A node left: every surviving node releases what it held (removals are conditional, so doing it
   * on several nodes at once is harmless).
   */
  private void nodeLeft(String nodeId) {
    log.warn("operator node {} left the cluster; releasing its sessions and locks", nodeId);
    releaseOrphans();
  }

  /**
   * Removes sessions and locks whose node is no longer a member. Run when a node leaves and every
   * {@link #SWEEP_MS} ms: the maps may be migrating partitions right when the member leaves, and a
   * pass that fails then is simply done again.
   */
  private void releaseOrphans() {
    List<String> live = membership.nodeIds();
    state
        .sessions()
        .entries()
        .onFailure(e -> log.debug("orphan sweep: sessions unreadable now: {}", e.toString()))
        .onSuccess(
            sessions ->
                sessions.forEach(
                    (id, s) -> {
                      if (!live.contains(s.getString("node"))) {
                        log.warn(
                            "[session {}] of {} ended with its node {}",
                            id,
                            userOf(s),
                            s.getString("node_address"));
                        forget(id);
                      }
                    }));
    state
        .locks()
        .entries()
        .onFailure(e -> log.debug("orphan sweep: locks unreadable now: {}", e.toString()))
        .onSuccess(
            locks ->
                locks.forEach(
                    (key, lock) -> {
                      if (!live.contains(lock.getString("node"))) {
                        state.locks().removeIfPresent(key, lock);
                      }
                    }));
  }

  /** The agent the session uses: locks are per agent (a copy pod is not its original). */
  public static String agentTarget(JsonObject session) {
    return session.getString("agent_target", session.getString("target"));
  }

  /** The OS user, with the display name beside it when one was given. */
  static String userOf(JsonObject session) {
    String display = session.getString("display_name", "");
    return display.isEmpty()
        ? session.getString("user")
        : session.getString("user") + " (" + display + ")";
  }
}
