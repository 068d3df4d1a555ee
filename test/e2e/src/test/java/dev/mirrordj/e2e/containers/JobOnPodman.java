package dev.mirrordj.e2e.containers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the agent Job the CLI would create into {@code podman run} options, field by field, the way
 * a kubelet on the {@link Node} would run its single container: {@code hostPID}, the container's
 * capabilities (and none of the runtime's defaults, so the Job's list is proven sufficient),
 * hostPath volumes from the node directory, environment, command and arguments, memory and CPU
 * limits. The pod network is a network namespace of its own with no interface but loopback; clients
 * reach the agent as {@code kubectl port-forward} does, from inside that namespace ({@link
 * PortForward}). Seccomp is unconfined because a pod without a {@code seccompProfile} runs
 * unconfined under the kubelet's default settings.
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
    Container c = pod.getContainers().get(0);
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--pull", "never", "--security-opt", "seccomp=unconfined"));
    args.addAll(List.of("--network", Boolean.TRUE.equals(pod.getHostNetwork()) ? "host" : "none"));
    if (Boolean.TRUE.equals(pod.getHostPID())) {
      args.addAll(List.of("--pid", "host"));
    }
    SecurityContext sc = c.getSecurityContext();
    if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
      args.add("--privileged");
    } else {
      args.addAll(List.of("--cap-drop", "all"));
      if (sc != null && sc.getCapabilities() != null && sc.getCapabilities().getAdd() != null) {
        for (String cap : sc.getCapabilities().getAdd()) {
          args.addAll(List.of("--cap-add", cap));
        }
      }
    }
    if (sc != null && sc.getRunAsGroup() != null) {
      args.addAll(List.of("--user", "0:" + sc.getRunAsGroup()));
    }
    Map<String, String> hostPaths = new HashMap<>();
    for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
      if (v.getHostPath() == null) {
        throw new IllegalArgumentException("volume " + v.getName() + " is not a hostPath volume");
      }
      hostPaths.put(v.getName(), v.getHostPath().getPath());
    }
    for (VolumeMount m :
        c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
      String source = node.hostPath(hostPaths.get(m.getName())).toString();
      args.addAll(List.of("-v", source + ":" + m.getMountPath()));
    }
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      if (e.getValueFrom() != null) {
        // a kubelet would read the referenced Secret; this node has no API server to ask
        throw new IllegalArgumentException(
            "environment variable " + e.getName() + " comes from " + e.getValueFrom());
      }
      args.addAll(List.of("-e", e.getName() + "=" + e.getValue()));
    }
    if (c.getResources() != null && c.getResources().getLimits() != null) {
      Map<String, Quantity> limits = c.getResources().getLimits();
      if (limits.containsKey("memory")) {
        BigDecimal bytes = limits.get("memory").getNumericalAmount();
        args.addAll(List.of("--memory", bytes.toBigInteger().toString()));
      }
      if (limits.containsKey("cpu")) {
        args.addAll(List.of("--cpus", limits.get("cpu").getNumericalAmount().toPlainString()));
      }
    }
    if (c.getCommand() != null && !c.getCommand().isEmpty()) {
      if (c.getCommand().size() != 1) {
        throw new IllegalArgumentException("multi-word command " + c.getCommand());
      }
      args.addAll(List.of("--entrypoint", c.getCommand().get(0)));
    }
    args.add(localImage);
    if (c.getArgs() != null) {
      args.addAll(c.getArgs());
    }
    return args;
  }

  /** The image the Job names, for the caller to check it is the one built here. */
  static String image(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
