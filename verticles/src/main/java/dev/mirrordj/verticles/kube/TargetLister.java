package dev.mirrordj.verticles.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The targets {@code ls} offers in a namespace, as target paths in this order: deployments, jobs,
 * then running pods. A pod with several containers appears once per container ({@code
 * pod/<name>/container/<container>}), a single-container pod as {@code pod/<name>}. Our own agent
 * Jobs and pods are not targets and are left out. Blocking (fabric8 DSL).
 */
public final class TargetLister {
  private TargetLister() {}

  public static List<String> list(KubernetesClient client, String namespace) {
    try {
      return listOrThrow(client, namespace);
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      throw KubeApiException.of("listing targets in namespace " + namespace, client, e);
    }
  }

  private static List<String> listOrThrow(KubernetesClient client, String namespace) {
    List<String> targets = new ArrayList<>();
    client.apps().deployments().inNamespace(namespace).list().getItems().stream()
        .sorted(byName())
        .forEach(d -> targets.add("deployment/" + d.getMetadata().getName()));
    client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
        .filter(j -> !isAgent(j))
        .sorted(byName())
        .forEach(j -> targets.add("job/" + j.getMetadata().getName()));
    client.pods().inNamespace(namespace).list().getItems().stream()
        .filter(TargetResolver::isRunning)
        .filter(p -> !isAgent(p))
        .sorted(byName())
        .forEach(p -> targets.addAll(podPaths(p)));
    return targets;
  }

  private static List<String> podPaths(Pod pod) {
    String base = "pod/" + pod.getMetadata().getName();
    List<Container> containers = pod.getSpec().getContainers();
    if (containers.size() == 1) {
      return List.of(base);
    }
    return containers.stream().map(c -> base + "/container/" + c.getName()).toList();
  }

  /** Our agent resources: labelled app=mirrord and named mirrord-agent-…. */
  private static boolean isAgent(HasMetadata resource) {
    Map<String, String> labels =
        Optional.ofNullable(resource.getMetadata().getLabels()).orElse(Map.of());
    return "mirrord".equals(labels.get("app"))
        && resource.getMetadata().getName().startsWith("mirrord-agent-");
  }

  private static <T extends HasMetadata> Comparator<T> byName() {
    return Comparator.comparing(r -> r.getMetadata().getName());
  }
}
