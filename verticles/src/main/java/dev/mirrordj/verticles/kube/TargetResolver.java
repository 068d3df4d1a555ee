package dev.mirrordj.verticles.kube;

import dev.mirrordj.protocol.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pins a {@link TargetRef} to one running pod and container through the API. Blocking (fabric8
 * DSL): call it from a worker thread. The container is the named one, else the pod's {@code
 * kubectl.kubernetes.io/default-container}, else the first one that is not a mesh sidecar.
 */
public final class TargetResolver {
  static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

  /** Sidecars injected by service meshes: never the application a user means by "the pod". */
  static final Set<String> SIDECAR_NAMES =
      Set.of(
          "istio-proxy",
          "istio-init",
          "linkerd-proxy",
          "linkerd-init",
          "vault-agent",
          "vault-agent-init",
          "kuma-sidecar",
          "kuma-init");

  private final KubernetesClient client;

  public TargetResolver(KubernetesClient client) {
    this.client = client;
  }

  /** Resolves the target in {@code namespace}; fails with a {@link TargetResolutionException}. */
  public ResolvedTarget resolve(TargetRef ref, String namespace) {
    Pod pod =
        switch (ref.kind()) {
          case POD -> namedPod(ref.name(), namespace);
          case DEPLOYMENT -> deploymentPod(ref.name(), namespace);
          case JOB -> jobPod(ref.name(), namespace);
          case CONTAINER -> podWithContainer(ref.name(), namespace);
        };
    Optional<String> wanted =
        ref.kind() == TargetRef.Kind.CONTAINER ? Optional.of(ref.name()) : ref.container();
    return pinContainer(pod, namespace, wanted);
  }

  private Pod namedPod(String name, String ns) {
    Pod pod = client.pods().inNamespace(ns).withName(name).get();
    if (pod == null) {
      throw new TargetResolutionException("pod '" + name + "' not found in namespace '" + ns + "'");
    }
    if (!isRunning(pod)) {
      throw new TargetResolutionException(
          "pod '"
              + name
              + "' in namespace '"
              + ns
              + "' is not running "
              + "(phase "
              + phase(pod)
              + (isDeleting(pod) ? ", being deleted" : "")
              + ")");
    }
    return pod;
  }

  private Pod deploymentPod(String name, String ns) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
    if (d == null) {
      throw new TargetResolutionException(
          "deployment '" + name + "' not found in namespace '" + ns + "'");
    }
    return firstReady("deployment '" + name + "'", ns, selectorLabels(d.getSpec().getSelector()));
  }

  private Pod jobPod(String name, String ns) {
    Job job = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
    if (job == null) {
      throw new TargetResolutionException("job '" + name + "' not found in namespace '" + ns + "'");
    }
    LabelSelector selector = job.getSpec() == null ? null : job.getSpec().getSelector();
    Map<String, String> labels =
        selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()
            ? Map.of("job-name", name)
            : selector.getMatchLabels();
    return firstReady("job '" + name + "'", ns, labels);
  }

  private Pod podWithContainer(String container, String ns) {
    List<Pod> pods =
        client.pods().inNamespace(ns).list().getItems().stream()
            .filter(
                p ->
                    p.getSpec().getContainers().stream()
                        .anyMatch(c -> c.getName().equals(container)))
            .toList();
    if (pods.isEmpty()) {
      throw new TargetResolutionException(
          "no pod in namespace '" + ns + "' has a container named '" + container + "'");
    }
    return pods.stream()
        .filter(TargetResolver::isReady)
        .min(Comparator.comparing(TargetResolver::name))
        .orElseThrow(
            () ->
                new TargetResolutionException(
                    "no pod with container '"
                        + container
                        + "' is running and ready in namespace '"
                        + ns
                        + "': "
                        + summary(pods)));
  }

  private Pod firstReady(String owner, String ns, Map<String, String> labels) {
    if (labels.isEmpty()) {
      throw new TargetResolutionException(owner + " has no matchLabels selector to find its pods");
    }
    List<Pod> pods = client.pods().inNamespace(ns).withLabels(labels).list().getItems();
    return pods.stream()
        .filter(TargetResolver::isReady)
        .min(Comparator.comparing(TargetResolver::name))
        .orElseThrow(
            () ->
                new TargetResolutionException(
                    owner
                        + " in namespace '"
                        + ns
                        + "' has no running and ready pod"
                        + (pods.isEmpty() ? "" : ": " + summary(pods))));
  }

  private static ResolvedTarget pinContainer(Pod pod, String ns, Optional<String> wanted) {
    List<Container> containers = pod.getSpec().getContainers();
    Container chosen =
        wanted
            .map(
                w ->
                    containers.stream()
                        .filter(c -> c.getName().equals(w))
                        .findFirst()
                        .orElseThrow(
                            () ->
                                new TargetResolutionException(
                                    "pod '"
                                        + name(pod)
                                        + "' has no container '"
                                        + w
                                        + "'; its containers: "
                                        + containers.stream()
                                            .map(Container::getName)
                                            .collect(Collectors.joining(", ")))))
            .orElseGet(() -> defaultContainer(pod));
    ContainerStatus status =
        Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream()
            .filter(s -> s.getName().equals(chosen.getName()))
            .findFirst()
            .orElse(null);
    if (status == null || status.getState() == null || status.getState().getRunning() == null) {
      String waiting =
          status == null || status.getState() == null || status.getState().getWaiting() == null
              ? ""
              : " (waiting: " + status.getState().getWaiting().getReason() + ")";
      throw new TargetResolutionException(
          "container '"
              + chosen.getName()
              + "' of pod '"
              + name(pod)
              + "' is not running"
              + waiting);
    }
    String id = status.getContainerID();
    int sep = id == null ? -1 : id.indexOf("://");
    if (sep < 0) {
      throw new TargetResolutionException(
          "container '"
              + chosen.getName()
              + "' of pod '"
              + name(pod)
              + "' reports no container ID ("
              + id
              + ")");
    }
    ContainerRuntime runtime;
    try {
      runtime = ContainerRuntime.fromName(id.substring(0, sep));
    } catch (IllegalArgumentException e) {
      throw new TargetResolutionException(
          "pod '"
              + name(pod)
              + "' runs on an unsupported container "
              + "runtime: "
              + e.getMessage());
    }
    return new ResolvedTarget(
        ns, name(pod), pod.getSpec().getNodeName(), chosen, id.substring(sep + 3), runtime, pod);
  }

  private static Container defaultContainer(Pod pod) {
    List<Container> containers = pod.getSpec().getContainers();
    String annotated =
        pod.getMetadata().getAnnotations() == null
            ? null
            : pod.getMetadata().getAnnotations().get(DEFAULT_CONTAINER_ANNOTATION);
    if (annotated != null) {
      Optional<Container> c =
          containers.stream().filter(x -> x.getName().equals(annotated)).findFirst();
      if (c.isPresent()) {
        return c.get();
      }
    }
    return containers.stream()
        .filter(c -> !SIDECAR_NAMES.contains(c.getName()))
        .findFirst()
        .orElse(containers.get(0));
  }

  static boolean isRunning(Pod pod) {
    return "Running".equals(phase(pod)) && !isDeleting(pod);
  }

  static boolean isReady(Pod pod) {
    return isRunning(pod)
        && Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean isDeleting(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? "Unknown" : String.valueOf(pod.getStatus().getPhase());
  }

  private static String name(Pod pod) {
    return pod.getMetadata().getName();
  }

  private static String summary(List<Pod> pods) {
    return pods.stream()
        .map(p -> name(p) + " " + phase(p) + (isReady(p) ? "" : " not ready"))
        .collect(Collectors.joining(", "));
  }

  private static Map<String, String> selectorLabels(LabelSelector selector) {
    return selector == null || selector.getMatchLabels() == null
        ? Map.of()
        : selector.getMatchLabels();
  }
}
