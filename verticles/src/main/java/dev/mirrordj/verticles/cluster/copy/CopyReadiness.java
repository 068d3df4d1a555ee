package dev.mirrordj.verticles.cluster.copy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a copy pod to be Running with condition Ready, polling the API on a Vert.x timer (no
 * worker thread sits in a sleep). A pod that cannot start (image pull errors, a container that
 * exited, phase Failed) ends the wait at once; otherwise the timeout does, and the error names the
 * pod and the last status seen.
 */
final class CopyReadiness {
  private static final Logger LOG = LoggerFactory.getLogger(CopyReadiness.class);
  static final long POLL_MS = 200;

  /** Waiting reasons that do not resolve by themselves. */
  static final Set<String> FATAL_WAITING =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "ErrImageNeverPull",
          "CreateContainerConfigError",
          "CreateContainerError",
          "CrashLoopBackOff");

  private final Vertx vertx;
  private final KubernetesClient client;

  CopyReadiness(Vertx vertx, KubernetesClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  /** Completes with the ready pod, or fails with a {@link CopyNotReadyException}. */
  Future<Pod> await(String ns, String name, Duration timeout) {
    Promise<Pod> done = Promise.promise();
    long deadline = System.nanoTime() + timeout.toNanos();
    poll(ns, name, timeout, deadline, "no status yet", done);
    return done.future();
  }

  private void poll(
      String ns, String name, Duration timeout, long deadline, String last, Promise<Pod> done) {
    vertx
        .executeBlocking(() -> client.pods().inNamespace(ns).withName(name).get(), false)
        .onComplete(
            ar -> {
              String status = last;
              if (ar.failed()) {
                // a transient API error is a status, not a verdict: the deadline decides
                status = "API error: " + ar.cause().getMessage();
              } else if (ar.result() == null) {
                // it was created before the wait began: gone now means deleted (a release that
                // overtook the preparation, or a person)
                done.fail(
                    new CopyNotReadyException(
                        "copy pod "
                            + ns
                            + "/"
                            + name
                            + " was deleted while waiting for it to be ready"));
                return;
              } else {
                Pod pod = ar.result();
                if (isReady(pod)) {
                  done.complete(pod);
                  return;
                }
                Optional<String> fatal = fatal(pod);
                if (fatal.isPresent()) {
                  done.fail(
                      new CopyNotReadyException(
                          "copy pod " + ns + "/" + name + " cannot start: " + fatal.get()));
                  return;
                }
                status = describe(pod);
              }
              if (System.nanoTime() - deadline > 0) {
                done.fail(
                    new CopyNotReadyException(
                        "copy pod "
                            + ns
                            + "/"
                            + name
                            + " was not Running and Ready after "
                            + timeout.toSeconds()
                            + " s (agent.startup_timeout); last status: "
                            + status));
                return;
              }
              LOG.debug("copy pod {}/{} not ready yet: {}", ns, name, status);
              String seen = status;
              vertx.setTimer(POLL_MS, t -> poll(ns, name, timeout, deadline, seen, done));
            });
  }

  static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase())
        && pod.getMetadata().getDeletionTimestamp() == null
        && Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Optional<String> fatal(Pod pod) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    if ("Failed".equals(pod.getStatus().getPhase())
        || "Succeeded".equals(pod.getStatus().getPhase())) {
      return Optional.of(
          "phase "
              + pod.getStatus().getPhase()
              + Optional.ofNullable(pod.getStatus().getReason())
                  .map(r -> " (" + r + ")")
                  .orElse(""));
    }
    for (ContainerStatus s : statuses(pod)) {
      if (s.getState() == null) {
        continue;
      }
      var waiting = s.getState().getWaiting();
      if (waiting != null && FATAL_WAITING.contains(waiting.getReason())) {
        return Optional.of(
            "container "
                + s.getName()
                + " waiting: "
                + waiting.getReason()
                + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()));
      }
      var terminated = s.getState().getTerminated();
      if (terminated != null) {
        return Optional.of(
            "container "
                + s.getName()
                + " exited with code "
                + terminated.getExitCode()
                + " ("
                + terminated.getReason()
                + ")");
      }
    }
    return Optional.empty();
  }

  /** Phase, conditions that are not True, and container states: what a user would look at. */
  static String describe(Pod pod) {
    if (pod.getStatus() == null) {
      return "no status yet";
    }
    StringBuilder s = new StringBuilder("phase ").append(pod.getStatus().getPhase());
    String conditions =
        Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
            .filter(c -> !"True".equals(c.getStatus()))
            .map(
                c ->
                    c.getType()
                        + "="
                        + c.getStatus()
                        + (c.getReason() == null ? "" : " (" + c.getReason() + ")"))
            .collect(Collectors.joining(", "));
    if (!conditions.isEmpty()) {
      s.append(", ").append(conditions);
    }
    for (ContainerStatus c : statuses(pod)) {
      if (c.getState() != null && c.getState().getWaiting() != null) {
        s.append(", container ")
            .append(c.getName())
            .append(" waiting: ")
            .append(c.getState().getWaiting().getReason());
      }
    }
    return s.toString();
  }

  private static List<ContainerStatus> statuses(Pod pod) {
    return Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of());
  }
}
