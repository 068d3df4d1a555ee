package dev.mirrordj.verticles.cluster.copy;

import io.vertx.core.Future;

/**
 * Where {@link TargetPreparation#prepare} writes down what it is about to change, before it changes
 * it: the operator keeps these in its replicated map, so a node that dies half way through a
 * preparation leaves a record that another node can release. A failed save stops the preparation
 * before the change it announced.
 */
@FunctionalInterface
public interface UndoJournal {
  /** Keeps nothing; for callers that hold the returned record themselves. */
  UndoJournal NONE = record -> Future.succeededFuture();

  /** Saves (or replaces) the record of session {@code record.sessionId()}. */
  Future<Void> save(UndoRecord record);
}
