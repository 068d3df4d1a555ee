package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Commands;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet of the test's one node, {@value #NODE_NAME}: every pod the mock API holds for this
 * node (or for no node yet: it is the only one, so it binds them) runs as a container from the
 * pod's own image, and the pod's status says what a kubelet would say: {@code podIP}, phase, the
 * {@code Ready} conditions, and {@code containerStatuses[]} with the container's ID. The runtime is
 * chosen by {@code runtimeClassName} as a CRI handler would be: {@value #CONTAINERD_RUNTIME_CLASS}
 * runs the pod under containerd ({@code containerd://} IDs, found through the node's containerd
 * socket), anything else under podman ({@code docker://} IDs, found through the node's Docker API,
 * {@link PodmanDockerService}).
 *
 * <p>Pods get the network of a harness pod ({@link ClusterAttachment}): {@code eth0} on the cluster
 * bridge, no default route, the cluster DNS in {@code /etc/resolv.conf}, their name as hostname.
 * Volumes: {@code hostPath} from the {@link Node} directory, {@code configMap} (written from the
 * API once, at start), {@code emptyDir}. One container per pod.
 *
 * <p>Containers are not restarted: one that exits is reported terminated (pod {@code Succeeded} or
 * {@code Failed} under {@code restartPolicy} Never/OnFailure; under Always the container waits in
 * {@code CrashLoopBackOff} and the pod is not ready). A pod deleted from the API loses its
 * container at once (no grace period).
 */
final class ContainerKubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerKubelet.class);
  static final String NODE_NAME = "node-1";
  static final String NODE_LABEL = "dev.mirrordj.test.node";
  private static final Duration POLL = Duration.ofMillis(250);

  /** A pod this node runs: its container and where it lives on this host. */
  record RunningPod(
      String namespace,
      String name,
      String uid,
      String container,
      PodRuntime runtime,
      PodRuntime.Started started,
      String ip) {
    long pid() {
      return started.pid();
    }

    String runtimeName() {
      return started.name();
    }

    /** {@code containerStatuses[].containerID}. */
    String containerId() {
      return runtime.scheme() + "://" + started.id();
    }
  }

  /** The {@code runtimeClassName} whose pods run under containerd; any other under podman. */
  static final String CONTAINERD_RUNTIME_CLASS = "containerd";

  private final KubernetesClient client;
  private final Node node;
  private final PodRuntime podman;
  private final PodRuntime containerd;
  private final Cluster cluster;
  private final Path resolvConf;
  private final String nodeId = Long.toString(ProcessHandle.current().pid());
  private final Map<String, RunningPod> byUid = new ConcurrentHashMap<>();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final AtomicInteger attachments = new AtomicInteger();
  private final Thread loop;
  private volatile boolean active = true;

  /**
   * @param containerd the runtime of pods whose {@code runtimeClassName} is {@value
   *     #CONTAINERD_RUNTIME_CLASS}; null: such pods are refused
   */
  ContainerKubelet(
      KubernetesClient client,
      Node node,
      PodmanContainers podman,
      ContainerdDaemon containerd,
      Cluster cluster)
      throws IOException {
    this.client = client;
    this.node = node;
    this.podman = new PodmanPodRuntime(podman, NODE_LABEL + "=" + nodeId);
    this.containerd = containerd == null ? null : new ContainerdPodRuntime(containerd, node);
    this.cluster = cluster;
    this.resolvConf =
        ClusterAttachment.resolvConf(cluster, Files.createDirectories(node.hostPath("/etc")));
    this.loop = new Thread(this::run, "container-kubelet");
    loop.setDaemon(true);
    loop.start();
  }

  /** The running pod {@code namespace/name}, if this node runs it. */
  Optional<RunningPod> pod(String namespace, String name) {
    return byUid.values().stream()
        .filter(p -> p.namespace().equals(namespace) && p.name().equals(name))
        .findFirst();
  }

  List<RunningPod> pods() {
    return List.copyOf(byUid.values());
  }

  /** What the container printed so far (stdout and stderr), as {@code kubectl logs} shows it. */
  String logs(String namespace, String name) {
    return pod(namespace, name).map(p -> p.runtime().logs(p.started())).orElse(null);
  }

  /** Kills the pod's container as a crash would (the pod stays; the kubelet reports the exit). */
  void crash(String namespace, String name) {
    RunningPod p = pod(namespace, name).orElseThrow();
    p.runtime().kill(p.started());
  }

  private void run() {
    while (active) {
      try {
        step();
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (active) {
          LOG.warn("kubelet step failed", e);
        }
      }
    }
  }

  private void step() {
    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    Set<String> present =
        pods.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    for (RunningPod gone : byUid.values()) {
      if (!present.contains(gone.uid())) {
        LOG.info(
            "pod {}/{} deleted: removing container {}",
            gone.namespace(),
            gone.name(),
            gone.runtimeName());
        remove(gone);
      }
    }
    for (Pod pod : pods) {
      String uid = pod.getMetadata().getUid();
      if (byUid.containsKey(uid)
          || refused.contains(uid)
          || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue;
      }
      String nodeName = pod.getSpec().getNodeName();
      if (nodeName == null) {
        // the scheduler of a one-node cluster
        update(pod, p -> new PodBuilder(p).editSpec().withNodeName(NODE_NAME).endSpec().build());
      } else if (!NODE_NAME.equals(nodeName)) {
        continue;
      }
      start(pod);
    }
  }

  private void start(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    if (pod.getSpec().getContainers().size() != 1) {
      refused.add(uid);
      fail(pod, "Unsupported", "this node runs pods of exactly one container");
      return;
    }
    Container c;
    try {
      c = withSecretValues(ns, pod.getSpec().getContainers().get(0));
    } catch (IllegalStateException e) {
      refused.add(uid);
      waiting(
          pod, pod.getSpec().getContainers().get(0), "CreateContainerConfigError", e.getMessage());
      return;
    }
    PodRuntime runtime =
        CONTAINERD_RUNTIME_CLASS.equals(pod.getSpec().getRuntimeClassName()) ? containerd : podman;
    if (runtime == null) {
      refused.add(uid);
      waiting(pod, c, "CreateContainerConfigError", "this node has no containerd handler");
      return;
    }
    boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    PodRuntime.Started started;
    try {
      LOG.info("starting pod {}/{} under {}", ns, name, runtime.scheme());
      started =
          runtime.start(
              "mdj-" + nodeId + "-" + ns + "-" + name,
              pod,
              c,
              v -> volumeSource(pod, v),
              hostNetwork ? null : resolvConf,
              hostNetwork);
    } catch (PodRuntime.PodStartException e) {
      refused.add(uid);
      waiting(pod, c, e.reason, e.getMessage());
      return;
    }
    String ip;
    try {
      ip =
          hostNetwork
              ? cluster.bridgeIp()
              : ClusterAttachment.attach(cluster, started.pid(), attachments.incrementAndGet());
    } catch (RuntimeException | AssertionError e) {
      // what a CNI plugin failure looks like to the kubelet: the sandbox is torn down again
      refused.add(uid);
      runtime.remove(started);
      waiting(pod, c, "CreateContainerError", "pod network: " + e.getMessage());
      return;
    }
    RunningPod running = new RunningPod(ns, name, uid, c.getName(), runtime, started, ip);
    byUid.put(uid, running);
    String startedAt = Instant.now().toString();
    update(pod, p -> runningStatus(p, c, running, startedAt));
    watchExit(pod, c, running, startedAt);
  }

  /** Reports the container's exit, as the kubelet does, when the runtime sees it. */
  private void watchExit(Pod pod, Container c, RunningPod running, String started) {
    Thread waiter =
        new Thread(
            () -> {
              int exit = running.runtime().awaitExit(running.started());
              if (!active || !byUid.containsKey(running.uid())) {
                return;
              }
              LOG.info(
                  "container {} of pod {}/{} exited with {}",
                  running.runtimeName(),
                  running.namespace(),
                  running.name(),
                  exit);
              update(pod, p -> exitedStatus(p, c, running, started, exit));
            },
            "container-wait-" + running.name());
    waiter.setDaemon(true);
    waiter.start();
  }

  private Path volumeSource(Pod pod, Volume v) {
    Path podDir = node.hostPath("/var/lib/kubelet/pods/" + pod.getMetadata().getUid() + "/volumes");
    try {
      if (v.getHostPath() != null) {
        return node.hostPath(v.getHostPath().getPath());
      }
      if (v.getEmptyDir() != null) {
        return Files.createDirectories(podDir.resolve("empty-dir").resolve(v.getName()));
      }
      if (v.getConfigMap() != null) {
        String cmName = v.getConfigMap().getName();
        ConfigMap cm =
            client
                .configMaps()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(cmName)
                .get();
        if (cm == null) {
          throw new IllegalArgumentException("configmap \"" + cmName + "\" not found");
        }
        Path dir = Files.createDirectories(podDir.resolve("configmap").resolve(v.getName()));
        for (var e : Optional.ofNullable(cm.getData()).orElse(Map.of()).entrySet()) {
          Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
        return dir;
      }
    } catch (IOException e) {
      throw new IllegalStateException("volume " + v.getName() + ": " + e, e);
    }
    throw new IllegalArgumentException(
        "volume " + v.getName() + ": only hostPath, emptyDir and configMap volumes are supported");
  }

  private static Pod runningStatus(Pod p, Container c, RunningPod running, String started) {
    return new PodBuilder(p)
        .editOrNewStatus()
        .withPhase("Running")
        .withPodIP(running.ip())
        .withHostIP("127.0.0.1")
        .withStartTime(started)
        .withConditions(conditions(true))
        .withContainerStatuses(
            status(
                c,
                running,
                true,
                new ContainerStateBuilder()
                    .withNewRunning()
                    .withStartedAt(started)
                    .endRunning()
                    .build(),
                null))
        .endStatus()
        .build();
  }

  private static Pod exitedStatus(
      Pod p, Container c, RunningPod running, String started, int exit) {
    ContainerState terminated =
        new ContainerStateBuilder()
            .withNewTerminated()
            .withExitCode(exit)
            .withReason(exit == 0 ? "Completed" : "Error")
            .withStartedAt(started)
            .withFinishedAt(Instant.now().toString())
            .withContainerID(running.containerId())
            .endTerminated()
            .build();
    String policy = Optional.ofNullable(p.getSpec().getRestartPolicy()).orElse("Always");
    boolean restarts = policy.equals("Always") || (policy.equals("OnFailure") && exit != 0);
    PodBuilder b = new PodBuilder(p);
    if (restarts) {
      ContainerState backOff =
          new ContainerStateBuilder()
              .withNewWaiting()
              .withReason("CrashLoopBackOff")
              .withMessage("this node does not restart containers")
              .endWaiting()
              .build();
      return b.editOrNewStatus()
          .withConditions(conditions(false))
          .withContainerStatuses(status(c, running, false, backOff, terminated))
          .endStatus()
          .build();
    }
    return b.editOrNewStatus()
        .withPhase(exit == 0 ? "Succeeded" : "Failed")
        .withConditions(conditions(false))
        .withContainerStatuses(status(c, running, false, terminated, null))
        .endStatus()
        .build();
  }

  private static ContainerStatus status(
      Container c, RunningPod running, boolean ready, ContainerState state, ContainerState last) {
    return new ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withImageID(c.getImage())
        .withContainerID(running.containerId())
        .withReady(ready)
        .withStarted(ready)
        .withRestartCount(0)
        .withState(state)
        .withLastState(last)
        .build();
  }

  private static List<PodCondition> conditions(boolean ready) {
    String now = Instant.now().toString();
    String readiness = ready ? "True" : "False";
    return List.of(
        condition("PodScheduled", "True", now),
        condition("Initialized", "True", now),
        condition("ContainersReady", readiness, now),
        condition("Ready", readiness, now));
  }

  private static PodCondition condition(String type, String status, String now) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withLastTransitionTime(now)
        .build();
  }

  private void waiting(Pod pod, Container c, String reason, String message) {
    LOG.warn(
        "pod {}/{} cannot start: {} {}",
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        reason,
        message);
    update(
        pod,
        p ->
            new PodBuilder(p)
                .editOrNewStatus()
                .withPhase("Pending")
                .withContainerStatuses(
                    new ContainerStatusBuilder()
                        .withName(c.getName())
                        .withImage(c.getImage())
                        .withReady(false)
                        .withNewState()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage(message)
                        .endWaiting()
                        .endState()
                        .build())
                .endStatus()
                .build());
  }

  private void fail(Pod pod, String reason, String message) {
    update(
        pod,
        p ->
            new PodBuilder(p)
                .editOrNewStatus()
                .withPhase("Failed")
                .withReason(reason)
                .withMessage(message)
                .endStatus()
                .build());
  }

  /** Edits the pod if it still exists (it may be deleted while its container starts or exits). */
  private void update(Pod pod, UnaryOperator<Pod> change) {
    try {
      var resource =
          client
              .pods()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(pod.getMetadata().getName());
      Pod current = resource.get();
      if (current != null && pod.getMetadata().getUid().equals(current.getMetadata().getUid())) {
        resource.edit(change);
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot update pod {}/{}: {}",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          e.toString());
    }
  }

  private void remove(RunningPod pod) {
    byUid.remove(pod.uid());
    pod.runtime().remove(pod.started());
    Commands.run("rm", "-rf", node.hostPath("/var/lib/kubelet/pods/" + pod.uid()).toString());
  }

  @Override
  public void close() throws InterruptedException {
    active = false;
    loop.interrupt();
    loop.join(10_000);
    for (RunningPod pod : List.copyOf(byUid.values())) {
      remove(pod);
    }
    podman.close();
    if (containerd != null) {
      containerd.close();
    }
  }

  /**
   * The container with each {@code secretKeyRef} environment value read from its Secret, as a
   * kubelet does before it starts the container (the agent's secret arrives this way); a missing
   * Secret or key is the kubelet's CreateContainerConfigError.
   */
  private Container withSecretValues(String ns, Container c) {
    if (c.getEnv() == null
        || c.getEnv().stream()
            .noneMatch(
                e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)) {
      return c;
    }
    List<io.fabric8.kubernetes.api.model.EnvVar> env = new java.util.ArrayList<>();
    for (io.fabric8.kubernetes.api.model.EnvVar e : c.getEnv()) {
      if (e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null) {
        env.add(e);
        continue;
      }
      var ref = e.getValueFrom().getSecretKeyRef();
      var secret = client.secrets().inNamespace(ns).withName(ref.getName()).get();
      String value = null;
      if (secret != null
          && secret.getData() != null
          && secret.getData().containsKey(ref.getKey())) {
        value =
            new String(
                java.util.Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
                java.nio.charset.StandardCharsets.UTF_8);
      } else if (secret != null
          && secret.getStringData() != null
          && secret.getStringData().containsKey(ref.getKey())) {
        value = secret.getStringData().get(ref.getKey());
      }
      if (value == null) {
        throw new IllegalStateException(
            "env " + e.getName() + ": secret " + ref.getName() + " has no key " + ref.getKey());
      }
      env.add(new io.fabric8.kubernetes.api.model.EnvVar(e.getName(), value, null));
    }
    return new io.fabric8.kubernetes.api.model.ContainerBuilder(c).withEnv(env).build();
  }
}
