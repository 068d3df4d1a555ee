package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.ExecResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Pods as containerd containers in Kubernetes' namespace {@code k8s.io}, started with {@code ctr
 * run} under a 64-hex ID as the CRI plugin names them, so the scheme is {@code containerd}. Only
 * what plain application pods use is supported (environment, volumes, command and arguments, a
 * network namespace of their own); {@code hostPID}, {@code hostNetwork}, security contexts and
 * limits are refused with {@code CreateContainerConfigError} rather than silently dropped. {@code
 * ctr} has no hostname option: the pod's name is set in the container's own UTS namespace before
 * the pod is reported running. The output goes to a file on the node ({@code --log-uri}).
 */
final class ContainerdPodRuntime implements PodRuntime {
  static final String NAMESPACE = "k8s.io";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** {@code ctr events}: {@code <time> <namespace> /tasks/exit {"container_id":..., ...}}. */
  private static final Pattern TASK_EXIT =
      Pattern.compile("\\s" + NAMESPACE + "\\s+/tasks/exit\\s+(\\{.*\\})\\s*$");

  private final ContainerdDaemon containerd;
  private final Path logDir;
  private final Map<String, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
  private final Process events;

  ContainerdPodRuntime(ContainerdDaemon containerd, Node node) throws IOException {
    this.containerd = containerd;
    this.logDir = Files.createDirectories(node.hostPath("/var/log/pods"));
    // containerd reports a task's exit status only as an event (ctr has no "wait"): one
    // subscription for the node, read by a thread of its own
    this.events =
        new ProcessBuilder("ctr", "--address", containerd.address(), "events")
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    Thread reader = new Thread(this::readEvents, "containerd-events");
    reader.setDaemon(true);
    reader.start();
  }

  private void readEvents() {
    try (BufferedReader r = events.inputReader()) {
      String line;
      while ((line = r.readLine()) != null) {
        Matcher m = TASK_EXIT.matcher(line);
        if (!m.find()) {
          continue;
        }
        JsonObject exit;
        try {
          exit = new JsonObject(m.group(1));
        } catch (RuntimeException e) {
          continue; // not an event this node waits for
        }
        String container = exit.getString("container_id", "");
        // the task's own process has the container's ID, exec'd processes other IDs; a status of
        // 0 is left out of the event
        if (container.equals(exit.getString("id"))) {
          exits
              .computeIfAbsent(container, id -> new CompletableFuture<>())
              .complete(exit.getInteger("exit_status", 0));
        }
      }
    } catch (IOException e) {
      // the subscription ends with the runtime
    }
  }

  @Override
  public String scheme() {
    return "containerd";
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
    var spec = pod.getSpec();
    if (hostNetwork
        || Boolean.TRUE.equals(spec.getHostPID())
        || c.getSecurityContext() != null
        || (c.getResources() != null
            && c.getResources().getLimits() != null
            && !c.getResources().getLimits().isEmpty())) {
      throw new PodStartException(
          "CreateContainerConfigError",
          "hostNetwork, hostPID, securityContext and limits are not supported under containerd on"
              + " this node");
    }
    if (c.getCommand() == null || c.getCommand().isEmpty()) {
      throw new PodStartException(
          "CreateContainerConfigError", "a containerd pod on this node needs a command");
    }
    byte[] idBytes = new byte[32];
    RANDOM.nextBytes(idBytes);
    String id = HexFormat.of().formatHex(idBytes);
    List<String> options = new ArrayList<>();
    options.addAll(List.of("--label", "io.kubernetes.pod.name=" + pod.getMetadata().getName()));
    options.addAll(List.of("--log-uri", "file://" + logFile(id)));
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      if (e.getValueFrom() != null) {
        throw new PodStartException(
            "CreateContainerConfigError", "env " + e.getName() + ": valueFrom is not supported");
      }
      options.addAll(List.of("--env", e.getName() + "=" + e.getValue()));
    }
    Map<String, Volume> byName =
        (spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes())
            .stream().collect(Collectors.toMap(Volume::getName, v -> v));
    try {
      for (VolumeMount m :
          c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
        Volume v = byName.get(m.getName());
        if (v == null) {
          throw new PodStartException(
              "CreateContainerConfigError", "no volume " + m.getName() + " in the pod");
        }
        options.addAll(
            mount(volumes.apply(v), m.getMountPath(), Boolean.TRUE.equals(m.getReadOnly())));
      }
    } catch (RuntimeException e) {
      throw new PodStartException("CreateContainerConfigError", e.getMessage());
    }
    if (resolvConf != null) {
      options.addAll(mount(resolvConf, "/etc/resolv.conf", true));
    }
    List<String> command = new ArrayList<>(c.getCommand());
    if (c.getArgs() != null) {
      command.addAll(c.getArgs());
    }
    exits.computeIfAbsent(id, key -> new CompletableFuture<>());
    ExecResult r = containerd.tryRun(NAMESPACE, id, options, c.getImage(), command);
    if (!r.ok()) {
      containerd.remove(NAMESPACE, id);
      String err = (r.stderr() + r.stdout()).trim();
      throw new PodStartException(
          err.contains("not found") ? "ErrImageNeverPull" : "CreateContainerError", err);
    }
    long pid = containerd.taskPid(NAMESPACE, id);
    Node.check(
        "nsenter", "--uts=/proc/" + pid + "/ns/uts", "hostname", pod.getMetadata().getName());
    return new Started(id, id, pid);
  }

  private static List<String> mount(Path source, String destination, boolean readOnly) {
    return List.of(
        "--mount",
        "type=bind,src="
            + source
            + ",dst="
            + destination
            + ",options=rbind:"
            + (readOnly ? "ro" : "rw"));
  }

  private Path logFile(String id) {
    return logDir.resolve(id + ".log");
  }

  /** The exit status from containerd's {@code /tasks/exit} event. */
  @Override
  public int awaitExit(Started container) {
    return exits.computeIfAbsent(container.id(), id -> new CompletableFuture<>()).join();
  }

  @Override
  public String logs(Started container) {
    try {
      return Files.readString(logFile(container.id()));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void kill(Started container) {
    containerd.ctr(NAMESPACE, "tasks", "kill", "-s", "SIGKILL", container.id());
  }

  @Override
  public void close() {
    events.destroyForcibly();
    // whoever still waits for an exit hears of none
    exits.values().forEach(f -> f.complete(-1));
  }

  @Override
  public void remove(Started container) {
    containerd.remove(NAMESPACE, container.id());
    try {
      Files.deleteIfExists(logFile(container.id()));
    } catch (IOException ignored) {
      // removed with the node directory
    }
  }
}
