/**
 * The operator's work on a session's Kubernetes target: {@code copy_target}, {@code scale_down},
 * {@code job/} targets, and the pods of a deployment target.
 *
 * <h2>At session start and end</h2>
 *
 * <pre>{@code
 * TargetPreparation prep = new KubeTargetPreparation(vertx, kubeClient, progress::accept);
 * PreparationRequest req = PreparationRequest.of(config, sessionId, user, kubeNamespace);
 * prep.prepare(req, record -> undoMap.put(sessionId, record.toJson()))   // journal first
 *     .compose(prepared -> launchAgentFor(prepared.target(), prepared.namespace()));
 * ...
 * // session over (however it ended, on whichever node noticed):
 * prep.release(UndoRecord.fromJson(undoMap.get(sessionId)))
 *     .onSuccess(v -> undoMap.remove(sessionId));      // on failure keep the record and retry
 * }</pre>
 *
 * Without {@code copy_target} {@code prepare} changes nothing and returns the configured target,
 * after refusing a {@code job/} target ({@link
 * dev.mirrordj.verticles.cluster.copy.UnsupportedTargetException}). With it, a copy pod is made
 * from the pod's spec or the deployment's or job's pod template ({@link
 * dev.mirrordj.verticles.cluster.copy.CopyPods}: probes removed, application labels kept,
 * controller labels dropped, session marked), awaited until Running and Ready within the request's
 * timeout, and returned as {@code pod/<copy>}. With {@code scale_down} (deployments only) the
 * deployment is then scaled to 0; its original count is kept both in the {@link
 * dev.mirrordj.verticles.cluster.copy.UndoRecord} and on the deployment itself, so overlapping
 * sessions restore the true original when the last one ends. Each change is announced to the {@link
 * dev.mirrordj.verticles.cluster.copy.UndoJournal} before it is made; a failure half way undoes
 * what was done.
 *
 * <p>{@link dev.mirrordj.verticles.cluster.copy.LeftoverScan} rebuilds undo records from the
 * annotations on copies and held deployments, for an operator that lost its map.
 *
 * <h2>Deployment targets</h2>
 *
 * {@link dev.mirrordj.verticles.cluster.copy.DeploymentPodWatcher} reports every ready pod of a
 * deployment at start and as pods become ready or go away, on the caller's Vert.x context, so the
 * operator can give each its agent.
 *
 * <p>Blocking fabric8 calls run on worker threads; waits are Vert.x timers. See
 * docs/operator-targets.md for the behaviour in prose.
 */
package dev.mirrordj.verticles.cluster.copy;
