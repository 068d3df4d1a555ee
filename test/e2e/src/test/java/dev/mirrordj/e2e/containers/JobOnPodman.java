package dev.mirrordj.e2e.containers;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the agent Job the CLI would create into {@code podman run} options the way a kubelet on the
 * {@link Node} would run its single container ({@link PodOnPodman}), with hostPath volumes from the
 * node directory. The pod network is a network namespace of its own with no interface but loopback;
 * clients reach the agent as {@code kubectl port-forward} does, from inside that namespace ({@link
 * PortForward}).
 */
final class JobOnPodman {
  private JobOnPodman() {}

  /** Options for {@code podman run} (without the name), then the image, then the arguments. */
  static List<String> runArguments(Job job, Node node, String localImage) {
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    if (pod.getContainers().size() != 1) {
      throw new IllegalArgumentException(
          "the agent Job has " + pod.getContainers().size() + " containers");
    }
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--network", Boolean.TRUE.equals(pod.getHostNetwork()) ? "host" : "none"));
    args.addAll(
        PodOnPodman.runArguments(
            pod,
            pod.getContainers().get(0),
            volume -> {
              if (volume.getHostPath() == null) {
                throw new IllegalArgumentException(
                    "volume " + volume.getName() + " is not a hostPath volume");
              }
              return node.hostPath(volume.getHostPath().getPath());
            },
            localImage));
    return args;
  }

  /** The image the Job names, for the caller to check it is the one built here. */
  static String image(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
