package dev.mirrordj.verticles.cluster.copy;

import java.util.Locale;
import java.util.Set;

/**
 * The labels and annotations that mark a copy pod and a scaled-down deployment. A label can be
 * selected on (sweeping copies left by a lost node, leaving copies out of a deployment's pod
 * watch); annotations carry what does not fit a label value (the full session id, the owner).
 */
public final class CopyMarkers {
  /** Label on every copy pod: the session id, reduced to what a label value may hold. */
  public static final String SESSION_LABEL = "mirrordj.dev/copy-session";

  /** Annotation on every copy pod: the session id as given. */
  public static final String SESSION_ANNOTATION = "mirrordj.dev/session";

  /** Annotation on every copy pod: who asked for it. */
  public static final String OWNER_ANNOTATION = "mirrordj.dev/owner";

  /** Annotation on every copy pod: what it is a copy of, e.g. {@code deployment/api}. */
  public static final String SOURCE_ANNOTATION = "mirrordj.dev/copy-of";

  /**
   * Annotation on a scaled-down deployment: its replica count before the first session scaled it
   * down. Kept on the object itself so that overlapping sessions restore the true original, not the
   * 0 that the second one found.
   */
  public static final String ORIGINAL_REPLICAS_ANNOTATION = "mirrordj.dev/original-replicas";

  /** Annotation on a scaled-down deployment: the sessions holding it at 0, comma-separated. */
  public static final String SCALED_BY_ANNOTATION = "mirrordj.dev/scaled-down-by";

  /**
   * Labels that tie a pod to the controller that made it. A copy that kept them would be adopted by
   * that controller (a ReplicaSet adopts orphans matching its selector, and with scale_down it
   * would delete the copy at once); Services select on the application's labels, which stay.
   */
  static final Set<String> CONTROLLER_LABELS =
      Set.of(
          "pod-template-hash",
          "controller-uid",
          "batch.kubernetes.io/controller-uid",
          "job-name",
          "batch.kubernetes.io/job-name",
          "controller-revision-hash",
          "statefulset.kubernetes.io/pod-name",
          "apps.kubernetes.io/pod-index");

  private CopyMarkers() {}

  /**
   * {@code sessionId} as a label value: at most 63 characters of {@code [a-z0-9A-Z._-]}, starting
   * and ending alphanumeric.
   */
  public static String labelValue(String sessionId) {
    String v = sessionId.replaceAll("[^A-Za-z0-9._-]", "-");
    if (v.length() > 63) {
      v = v.substring(0, 63);
    }
    v = v.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    return v.isEmpty() ? "session" : v.toLowerCase(Locale.ROOT);
  }
}
