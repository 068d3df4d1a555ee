package dev.mirrordj.verticles.cluster;

import io.vertx.core.Future;

/**
 * What happens to a session's target before its agent is acquired, and is undone when the session
 * ends, whatever ends it (the client leaving, a kill, its node dying: a surviving node undoes it
 * from the shared state). The plain target needs nothing; copy_target (a copied pod) and scale_down
 * (a deployment scaled to 0) do.
 */
public interface SessionTargetPreparation {

  /**
   * The target the session's agent serves (a copy pod with copy_target; the namespace filled in).
   * What must be undone later is written to the shared state before it is done.
   */
  Future<AgentTarget> prepare(SessionRequest request);

  /** Undoes what {@link #prepare} did for the session; does nothing when it did nothing. */
  Future<Void> release(String sessionId);

  /** Local targets only: nothing to prepare or undo, Kubernetes options refused. */
  SessionTargetPreparation NONE =
      new SessionTargetPreparation() {
        @Override
        public Future<AgentTarget> prepare(SessionRequest request) {
          if (request.copyTarget()) {
            return Future.failedFuture(
                new IllegalArgumentException(
                    "copy_target needs a Kubernetes target (pod/, deployment/, job/), not "
                        + request.target().path()));
          }
          return Future.succeededFuture(request.target());
        }

        @Override
        public Future<Void> release(String sessionId) {
          return Future.succeededFuture();
        }
      };
}
