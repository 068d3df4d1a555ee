package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.Commands;
import dev.mirrordj.harness.ExecResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Pods as podman containers ({@link PodOnPodman}); their IDs are what podman's Docker API service
 * on the node reports, so the scheme is {@code docker}. Every container carries the test's owner
 * label ({@link PodmanContainers}) and the node's.
 */
final class PodmanPodRuntime implements PodRuntime {
  private final PodmanContainers podman;
  private final String nodeLabel;

  PodmanPodRuntime(PodmanContainers podman, String nodeLabel) {
    this.podman = podman;
    this.nodeLabel = nodeLabel;
  }

  @Override
  public String scheme() {
    return "docker";
  }

  @Override
  public Started start(
      String name,
      Pod pod,
      Container c,
      Function<Volume, Path> volumes,
      Path resolvConf,
      boolean hostNetwork)
      throws PodStartException {
    List<String> argv = new ArrayList<>(List.of("podman", "run", "-d"));
    argv.addAll(podman.baseOptions(name));
    argv.addAll(List.of("--label", nodeLabel, "--hostname", pod.getMetadata().getName()));
    argv.addAll(List.of("--network", hostNetwork ? "host" : "none"));
    if (resolvConf != null) {
      argv.addAll(List.of("-v", resolvConf + ":/etc/resolv.conf:ro"));
    }
    try {
      argv.addAll(PodOnPodman.runArguments(pod.getSpec(), c, volumes, c.getImage()));
    } catch (RuntimeException e) {
      throw new PodStartException("CreateContainerConfigError", e.getMessage());
    }
    ExecResult r = Commands.run(argv, null, Duration.ofMinutes(1));
    if (!r.ok()) {
      podman.remove(name);
      String err = r.stderr().trim();
      // --pull never: an image this machine lacks is what ErrImageNeverPull reports in a cluster
      boolean noImage = err.contains("image not known") || err.contains("no such image");
      throw new PodStartException(noImage ? "ErrImageNeverPull" : "CreateContainerError", err);
    }
    return new Started(name, r.stdout().trim(), PodmanContainers.pid(name));
  }

  @Override
  public int awaitExit(Started container) {
    ExecResult r =
        Commands.run(List.of("podman", "wait", container.name()), null, Duration.ofDays(1));
    try {
      return Integer.parseInt(r.stdout().trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String logs(Started container) {
    ExecResult r =
        Commands.run(List.of("podman", "logs", container.name()), null, Duration.ofSeconds(10));
    return r.stdout() + r.stderr();
  }

  @Override
  public void kill(Started container) {
    Node.check("podman", "kill", container.name());
  }

  @Override
  public void remove(Started container) {
    podman.remove(container.name());
  }
}
