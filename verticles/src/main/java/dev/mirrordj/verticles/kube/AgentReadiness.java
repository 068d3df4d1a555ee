package dev.mirrordj.verticles.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, polling the API until a deadline, for the agent to be usable: its pod exists (for a Job),
 * its container runs, and its log shows {@code agent ready - version …}. Image pull errors end the
 * wait at once instead of burning the whole startup timeout. Blocking: run on a worker thread.
 */
final class AgentReadiness {
  private static final Logger LOG = LoggerFactory.getLogger(AgentReadiness.class);
  static final Pattern READY_LINE = Pattern.compile("agent ready(?: - version (\\S+))?");

  /** Waiting reasons that never resolve by themselves. */
  static final Set<String> FATAL_WAITING =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "ErrImageNeverPull",
          "CreateContainerConfigError",
          "CreateContainerError");

  private static final long POLL_MS = 200;

  private final KubernetesClient client;
  private final String namespace;
  private final Instant deadline;
  private final Duration timeout;

  AgentReadiness(KubernetesClient client, String namespace, Duration timeout) {
    this.client = client;
    this.namespace = namespace;
    this.timeout = timeout;
    this.deadline = Instant.now().plus(timeout);
  }

  /** The name of the pod the Job controller created for {@code jobName}. */
  String jobPod(String jobName) {
    while (true) {
      List<Pod> pods =
          client.pods().inNamespace(namespace).withLabel("job-name", jobName).list().getItems();
      if (!pods.isEmpty()) {
        return pods.get(0).getMetadata().getName();
      }
      failIfJobFailed(jobName);
      pause("no pod was created for agent job " + jobName);
    }
  }

  /**
   * Waits for {@code container} of {@code podName} to print the ready line.
   *
   * @return the version the agent reported, or {@code "unknown"}
   */
  String readyLine(String podName, String container, boolean ephemeral) {
    String lastState = "pod not found";
    while (true) {
      Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
      Optional<ContainerStatus> status =
          pod == null ? Optional.empty() : status(pod, container, ephemeral);
      if (pod != null) {
        lastState = describe(pod, status);
        failFast(podName, container, pod, status);
      }
      if (status.isPresent()
          && status.get().getState() != null
          && status.get().getState().getRunning() != null) {
        String log =
            client.pods().inNamespace(namespace).withName(podName).inContainer(container).getLog();
        Matcher m = READY_LINE.matcher(log == null ? "" : log);
        if (m.find()) {
          return m.group(1) == null ? "unknown" : m.group(1);
        }
        lastState = "running, ready line not printed yet";
      }
      pause("agent " + podName + "/" + container + " is not ready (" + lastState + ")");
    }
  }

  /** A Job the controller gave up on (quota, admission webhook, …) never gets its pod. */
  private void failIfJobFailed(String jobName) {
    var job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
    if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
      return;
    }
    job.getStatus().getConditions().stream()
        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst()
        .ifPresent(
            c -> {
              throw new AgentStartupException(
                  "agent job "
                      + jobName
                      + " failed: "
                      + c.getReason()
                      + " "
                      + Optional.ofNullable(c.getMessage()).orElse(""));
            });
  }

  private static void failFast(
      String podName, String container, Pod pod, Optional<ContainerStatus> status) {
    if (status.isPresent() && status.get().getState() != null) {
      var waiting = status.get().getState().getWaiting();
      if (waiting != null && FATAL_WAITING.contains(waiting.getReason())) {
        throw new AgentStartupException(
            "agent container "
                + container
                + " in pod "
                + podName
                + " cannot start: "
                + waiting.getReason()
                + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage())
                + " (check agent.image, agent.image_pull_policy and agent.image_pull_secrets)");
      }
      var terminated = status.get().getState().getTerminated();
      if (terminated != null) {
        throw new AgentStartupException(
            "agent container "
                + container
                + " in pod "
                + podName
                + " exited with code "
                + terminated.getExitCode()
                + " before it was ready ("
                + terminated.getReason()
                + ")");
      }
    }
    if ("Failed".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase())) {
      throw new AgentStartupException(
          "agent pod "
              + podName
              + " failed: "
              + pod.getStatus().getReason()
              + " "
              + Optional.ofNullable(pod.getStatus().getMessage()).orElse(""));
    }
  }

  private static Optional<ContainerStatus> status(Pod pod, String container, boolean ephemeral) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    List<ContainerStatus> all =
        ephemeral
            ? pod.getStatus().getEphemeralContainerStatuses()
            : pod.getStatus().getContainerStatuses();
    return Stream.ofNullable(all)
        .flatMap(List::stream)
        .filter(s -> container.equals(s.getName()))
        .findFirst();
  }

  private static String describe(Pod pod, Optional<ContainerStatus> status) {
    String phase = pod.getStatus() == null ? "no status" : "phase " + pod.getStatus().getPhase();
    return status
        .map(
            s ->
                s.getState() != null && s.getState().getWaiting() != null
                    ? phase + ", waiting: " + s.getState().getWaiting().getReason()
                    : phase)
        .orElse(phase);
  }

  /** Sleeps one poll interval, or fails with {@code what} once the startup timeout is used up. */
  private void pause(String what) {
    if (Instant.now().isAfter(deadline)) {
      throw new AgentStartupException(
          what
              + " after "
              + timeout.toSeconds()
              + " s (agent.startup_timeout); raise agent.startup_timeout if the cluster is slow");
    }
    LOG.debug("waiting: {}", what);
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentStartupException("interrupted while waiting: " + what);
    }
  }
}
