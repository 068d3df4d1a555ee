package dev.mirrordj.verticles.kube;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test pods in the shapes the kubelet reports them (phase, conditions, container statuses). */
final class Pods {
  private Pods() {}

  /** A running, ready pod whose containers all run under containerd. */
  static PodBuilder running(
      String ns, String name, Map<String, String> labels, String... containers) {
    List<ContainerStatus> statuses = new ArrayList<>();
    for (String c : containers) {
      statuses.add(
          new ContainerStatusBuilder()
              .withName(c)
              .withReady(true)
              .withContainerID("containerd://" + idFor(name, c))
              .withNewState()
              .withNewRunning()
              .withStartedAt("2026-01-01T00:00:00Z")
              .endRunning()
              .endState()
              .build());
    }
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-1")
        .withContainers(
            java.util.Arrays.stream(containers)
                .map(c -> new ContainerBuilder().withName(c).withImage(c + ":1").build())
                .toList())
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .withContainerStatuses(statuses)
        .endStatus();
  }

  static Pod notReady(String ns, String name, Map<String, String> labels, String container) {
    return running(ns, name, labels, container)
        .editStatus()
        .withConditions()
        .addNewCondition()
        .withType("Ready")
        .withStatus("False")
        .endCondition()
        .endStatus()
        .build();
  }

  /** The container ID the fake runtime reports: 64 hex digits derived from pod and container. */
  static String idFor(String pod, String container) {
    String h = Integer.toHexString((pod + "/" + container).hashCode());
    return (h + "0".repeat(64)).substring(0, 64);
  }
}
