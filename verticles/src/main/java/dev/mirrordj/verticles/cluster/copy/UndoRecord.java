package dev.mirrordj.verticles.cluster.copy;

import io.vertx.core.json.JsonObject;
import java.io.Serializable;
import java.util.Objects;

/**
 * What a session changed in the cluster and must be undone when it ends: the copy pod it created
 * and, with {@code scale_down}, the deployment it scaled to 0 and that deployment's replica count
 * before. Small and serializable (Java and JSON) so the operator can keep it in a replicated map
 * and any surviving node can {@linkplain TargetPreparation#release release} it.
 *
 * @param copyPod the copy pod's name, or {@code null} when only a deployment is left to restore (a
 *     {@linkplain LeftoverScan leftover} whose copy is already gone)
 * @param deployment the scaled-down deployment, or {@code null} when nothing was scaled
 * @param originalReplicas its replicas before, or {@code null} when nothing was scaled
 */
public record UndoRecord(
    String sessionId,
    String owner,
    String namespace,
    String copyPod,
    String deployment,
    Integer originalReplicas)
    implements Serializable {

  public UndoRecord {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(namespace, "namespace");
    if (copyPod == null && deployment == null) {
      throw new IllegalArgumentException("an undo record names a copy pod, a deployment or both");
    }
    if ((deployment == null) != (originalReplicas == null)) {
      throw new IllegalArgumentException(
          "deployment and originalReplicas go together: " + deployment + ", " + originalReplicas);
    }
  }

  /** A record for a copy pod alone (nothing scaled yet). */
  public static UndoRecord copyOnly(
      String sessionId, String owner, String namespace, String copyPod) {
    return new UndoRecord(sessionId, owner, namespace, copyPod, null, null);
  }

  /** This record plus the scaled-down deployment. */
  public UndoRecord withScaledDeployment(String name, int replicas) {
    return new UndoRecord(sessionId, owner, namespace, copyPod, name, replicas);
  }

  public boolean scaledDown() {
    return deployment != null;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("sessionId", sessionId).put("namespace", namespace);
    if (copyPod != null) {
      json.put("copyPod", copyPod);
    }
    if (owner != null) {
      json.put("owner", owner);
    }
    if (deployment != null) {
      json.put("deployment", deployment).put("originalReplicas", originalReplicas);
    }
    return json;
  }

  /**
   * @throws IllegalArgumentException when a required field is missing or of the wrong type
   */
  public static UndoRecord fromJson(JsonObject json) {
    try {
      return new UndoRecord(
          json.getString("sessionId"),
          json.getString("owner"),
          json.getString("namespace"),
          json.getString("copyPod"),
          json.getString("deployment"),
          json.getInteger("originalReplicas"));
    } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an undo record: " + json.encode(), e);
    }
  }
}
