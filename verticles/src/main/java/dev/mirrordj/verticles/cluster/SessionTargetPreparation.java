package dev.mirrordj.verticles.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/**
 * What happens to a session's target before its agent is acquired, and is undone when the session
 * ends, whatever ends it (the client leaving, a kill, its node dying: a surviving node undoes it
 * from the session's record). The plain target needs nothing; copy_target (a copied pod) and
 * scale_down (a deployment scaled to 0) do.
 */
public interface SessionTargetPreparation {

  /**
   * The target the session's agent serves, and what to undo later.
   *
   * @param target the target the user asked for
   * @param undo entries to undo when the session ends, stored in its record (JSON, since another
   *     node may do it)
   */
  record Prepared(String target, JsonArray undo) {}

  Future<Prepared> prepare(String target, String sessionId);

  /** Undoes the entries {@link #prepare} recorded. */
  Future<Void> undo(JsonArray undo);

  /** The plain target: nothing to prepare or undo. */
  SessionTargetPreparation NONE =
      new SessionTargetPreparation() {
        @Override
        public Future<Prepared> prepare(String target, String sessionId) {
          return Future.succeededFuture(new Prepared(target, new JsonArray()));
        }

        @Override
        public Future<Void> undo(JsonArray undo) {
          return Future.succeededFuture();
        }
      };
}
