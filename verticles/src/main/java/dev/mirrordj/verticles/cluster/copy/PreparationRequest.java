package dev.mirrordj.verticles.cluster.copy;

import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.TargetPath;
import dev.mirrordj.verticles.kube.TargetRef;
import java.time.Duration;
import java.util.Objects;

/**
 * What a session asks of its target at start.
 *
 * @param sessionId the operator's session id (marks the copy, keys the undo record)
 * @param owner who runs the session (kept on the copy as an annotation)
 * @param target the configured target (never targetless: a targetless session has nothing to
 *     prepare)
 * @param namespace the target's namespace
 * @param copyTarget {@code feature.copy_target.enabled}
 * @param scaleDown {@code feature.copy_target.scale_down}
 * @param readyTimeout how long the copy may take to become Ready ({@code agent.startup_timeout})
 */
public record PreparationRequest(
    String sessionId,
    String owner,
    TargetRef target,
    String namespace,
    boolean copyTarget,
    boolean scaleDown,
    Duration readyTimeout) {

  public PreparationRequest {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(readyTimeout, "readyTimeout");
  }

  /**
   * The request for a session configured by {@code config}.
   *
   * @param defaultNamespace used when {@code target.namespace} is unset (the kube context's)
   * @throws UnsupportedTargetException for a targetless or local ({@code pid/}) target
   */
  public static PreparationRequest of(
      MirrordConfig config, String sessionId, String owner, String defaultNamespace) {
    TargetPath path = config.target().effectivePath();
    if (path instanceof TargetPath.Targetless || path instanceof TargetPath.Pid) {
      throw new UnsupportedTargetException(
          "target "
              + path.render()
              + " has no Kubernetes object to prepare; copy_target needs a pod, deployment or job"
              + " target");
    }
    var copy = config.feature().copyTarget();
    return new PreparationRequest(
        sessionId,
        owner,
        TargetRef.parse(path.render()),
        config.target().namespace().orElse(defaultNamespace),
        copy.enabled(),
        copy.enabled() && copy.scaleDown(),
        Duration.ofSeconds(config.agent().startupTimeout()));
  }
}
