package dev.mirrordj.e2e.containers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns one container of a pod spec into {@code podman run} options, field by field, the way a
 * kubelet would run it: {@code hostPID}, {@code hostNetwork}, the container's capabilities,
 * volumes, environment, command and arguments, memory and CPU limits.
 *
 * <p>Capabilities are stricter than a kubelet's: a container that lists {@code capabilities.add}
 * gets exactly that list and none of the runtime's defaults, so a list that is too short fails here
 * instead of passing on defaults a hardened cluster would not give. A container without a
 * capability list keeps the runtime's defaults, as under a kubelet. Seccomp is unconfined because a
 * pod without a {@code seccompProfile} runs unconfined under the kubelet's default settings.
 */
final class PodOnPodman {
  private PodOnPodman() {}

  /**
   * Options for {@code podman run} (without name and network), then the image, then the arguments.
   *
   * @param volumeSource where on this host a pod volume's content is, by volume
   * @param image the local image to run (the container's own, or one the caller substitutes)
   */
  static List<String> runArguments(
      PodSpec pod, Container c, Function<Volume, Path> volumeSource, String image) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--pull", "never", "--security-opt", "seccomp=unconfined"));
    if (Boolean.TRUE.equals(pod.getHostPID())) {
      args.addAll(List.of("--pid", "host"));
    }
    SecurityContext sc = c.getSecurityContext();
    if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
      args.add("--privileged");
    } else if (sc != null && sc.getCapabilities() != null) {
      args.addAll(List.of("--cap-drop", "all"));
      for (String cap : nonNull(sc.getCapabilities().getAdd())) {
        args.addAll(List.of("--cap-add", cap));
      }
    }
    if (sc != null && sc.getRunAsGroup() != null) {
      args.addAll(
          List.of(
              "--user",
              (sc.getRunAsUser() == null ? "0" : sc.getRunAsUser()) + ":" + sc.getRunAsGroup()));
    }
    Map<String, Volume> volumes = new HashMap<>();
    for (Volume v : nonNull(pod.getVolumes())) {
      volumes.put(v.getName(), v);
    }
    for (VolumeMount m : nonNull(c.getVolumeMounts())) {
      Volume v = volumes.get(m.getName());
      if (v == null) {
        throw new IllegalArgumentException(
            "container " + c.getName() + " mounts volume " + m.getName() + ", which the pod lacks");
      }
      String mode = Boolean.TRUE.equals(m.getReadOnly()) ? ":ro" : "";
      args.addAll(List.of("-v", volumeSource.apply(v) + ":" + m.getMountPath() + mode));
    }
    for (EnvVar e : nonNull(c.getEnv())) {
      if (e.getValueFrom() != null) {
        throw new IllegalArgumentException(
            "env " + e.getName() + ": valueFrom is not supported by this node");
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
    List<String> command = nonNull(c.getCommand());
    List<String> extraArgs = new ArrayList<>();
    if (!command.isEmpty()) {
      // podman's --entrypoint takes one word; the rest of a Kubernetes command precedes args
      args.addAll(List.of("--entrypoint", command.get(0)));
      extraArgs.addAll(command.subList(1, command.size()));
    }
    args.add(image);
    args.addAll(extraArgs);
    args.addAll(nonNull(c.getArgs()));
    return args;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
