package dev.mirrordj.verticles.cluster.impl;

import dev.mirrordj.verticles.cluster.AgentTarget;
import dev.mirrordj.verticles.cluster.ClusterMembership;
import dev.mirrordj.verticles.cluster.OperatorState;
import dev.mirrordj.verticles.cluster.SessionRequest;
import dev.mirrordj.verticles.cluster.SessionTargetPreparation;
import dev.mirrordj.verticles.cluster.copy.KubeTargetPreparation;
import dev.mirrordj.verticles.cluster.copy.PreparationRequest;
import dev.mirrordj.verticles.cluster.copy.TargetPreparation;
import dev.mirrordj.verticles.cluster.copy.UndoJournal;
import dev.mirrordj.verticles.cluster.copy.UndoRecord;
import dev.mirrordj.verticles.kube.TargetRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's target preparation: a local target passes through; a Kubernetes target goes
 * through {@link KubeTargetPreparation} (copy_target, scale_down, the refusal of a {@code job/}
 * target without a copy), with its undo record journalled in the shared {@code undo} map before
 * each change. The session's node releases it when the session ends; when that node dies, every
 * surviving node finds its records in the sweep and releases them (releasing is idempotent, so
 * several survivors doing it at once is harmless).
 */
public final class KubeSessionPreparation implements SessionTargetPreparation {
  private static final Logger log = LoggerFactory.getLogger(KubeSessionPreparation.class);
  private static final long SWEEP_MS = 2000;

  private final Vertx vertx;
  private final OperatorState state;
  private final ClusterMembership membership;
  private final KubeAccess kube;
  private final long sweeper;
  private final Set<String> releasing = ConcurrentHashMap.newKeySet();
  private TargetPreparation preparation;

  private record Resolved(TargetPreparation preparation, String namespace) {}

  public KubeSessionPreparation(
      Vertx vertx, OperatorState state, ClusterMembership membership, KubeAccess kube) {
    this.vertx = vertx;
    this.state = state;
    this.membership = membership;
    this.kube = kube;
    this.sweeper = vertx.setPeriodic(SWEEP_MS, t -> releaseOrphans());
  }

  private synchronized TargetPreparation preparation() {
    if (preparation == null) {
      preparation = new KubeTargetPreparation(vertx, kube.client(), line -> log.info("{}", line));
    }
    return preparation;
  }

  @Override
  public Future<AgentTarget> prepare(SessionRequest request) {
    AgentTarget target = request.target();
    if (target.local()) {
      return SessionTargetPreparation.NONE.prepare(request);
    }
    TargetRef ref;
    try {
      ref = TargetRef.parse(target.path());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String id = request.sessionId();
    UndoJournal journal =
        record -> state.undo().put(id, record.toJson().put("node", membership.localNodeId()));
    return vertx
        .executeBlocking(
            () -> {
              TargetPreparation p = preparation(); // makes the client: blocking
              String ns =
                  target.namespace().isEmpty() ? kube.defaultNamespace() : target.namespace();
              return new Resolved(p, ns);
            },
            false)
        .compose(
            resolved ->
                resolved
                    .preparation()
                    .prepare(
                        new PreparationRequest(
                            id,
                            request.owner(),
                            ref,
                            resolved.namespace(),
                            request.copyTarget(),
                            request.scaleDown(),
                            request.readyTimeout()),
                        journal))
        .map(prepared -> new AgentTarget(prepared.target().render(), prepared.namespace()));
  }

  @Override
  public Future<Void> release(String sessionId) {
    return state
        .undo()
        .get(sessionId)
        .compose(entry -> entry == null ? Future.succeededFuture() : release(sessionId, entry));
  }

  private Future<Void> release(String sessionId, JsonObject entry) {
    UndoRecord record;
    try {
      record = UndoRecord.fromJson(entry);
    } catch (IllegalArgumentException e) {
      log.error("[session {}] unreadable undo record dropped: {}", sessionId, e.getMessage());
      return state.undo().removeIfPresent(sessionId, entry).mapEmpty();
    }
    return vertx
        .executeBlocking(this::preparation, false)
        .compose(p -> p.release(record))
        .compose(v -> state.undo().removeIfPresent(sessionId, entry))
        .onSuccess(
            v ->
                log.info(
                    "[session {}] undid its target preparation (copy {}, deployment {})",
                    sessionId,
                    record.copyPod(),
                    record.scaledDown()
                        ? record.deployment() + " back to " + record.originalReplicas()
                        : "-"))
        .mapEmpty();
  }

  /** Releases the records of sessions whose node has left the cluster. */
  private void releaseOrphans() {
    List<String> live = membership.nodeIds();
    state
        .undo()
        .entries()
        .onFailure(e -> log.debug("undo sweep: map unreadable now: {}", e.toString()))
        .onSuccess(
            entries ->
                entries.forEach(
                    (id, entry) -> {
                      if (live.contains(entry.getString("node")) || !releasing.add(id)) return;
                      log.warn(
                          "[session {}] its node {} is gone: undoing its target preparation",
                          id,
                          entry.getString("node"));
                      release(id, entry)
                          .onComplete(ar -> releasing.remove(id))
                          .onFailure(
                              e ->
                                  log.warn(
                                      "[session {}] undo failed, retried on the next sweep: {}",
                                      id,
                                      e.getMessage()));
                    }));
  }

  /** Stops the sweep. */
  public void close() {
    vertx.cancelTimer(sweeper);
  }
}
