package dev.mirrordj.verticles.cluster.copy;

import io.vertx.core.Future;

/**
 * What the operator does to a session's target at session start and undoes at session end: with
 * {@code copy_target}, a copy pod that the session targets instead (and, with {@code scale_down},
 * the deployment held at 0 replicas meanwhile); without it, nothing but the checks.
 *
 * <p>Futures complete on the caller's Vert.x context; failures are {@link
 * TargetPreparationException}s, {@link dev.mirrordj.verticles.kube.TargetResolutionException} (no
 * such target) or {@link dev.mirrordj.verticles.kube.KubeApiException} (the API refused), each with
 * a message a user can act on.
 */
public interface TargetPreparation {

  /** As {@link #prepare(PreparationRequest, UndoJournal)} without a journal. */
  default Future<PreparedTarget> prepare(PreparationRequest request) {
    return prepare(request, UndoJournal.NONE);
  }

  /**
   * Prepares the target. Before each change to the cluster the record of what to undo is saved to
   * {@code journal}; if a later step fails, what was done is undone before the future fails.
   */
  Future<PreparedTarget> prepare(PreparationRequest request, UndoJournal journal);

  /**
   * Undoes {@code record}: restores the deployment's replicas (when this session was the last to
   * hold it at 0) and deletes the copy pod. Idempotent: running it again, on another node, or after
   * the copy was deleted by hand succeeds and changes nothing more. Fails with a {@link
   * ReleaseException} when a step could not be done; keep the record and retry.
   *
   * <p>On the node that runs a session's {@code prepare}, release its record after that future
   * completed (a release that overtakes it makes the wait fail, but a scale-down already under way
   * would then journal a new record). A node that took over a dead node's session releases at once:
   * the dead node prepares nothing more.
   */
  Future<Void> release(UndoRecord record);
}
