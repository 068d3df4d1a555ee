package dev.mirrordj.cli.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/**
 * A target pod as the kubelet reports it: Running, Ready, one container running under containerd.
 */
final class TestPods {
  private TestPods() {}

  static Pod running(String ns, String name, String container) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-1")
        .addNewContainer()
        .withName(container)
        .withImage(container + ":1")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .addNewContainerStatus()
        .withName(container)
        .withReady(true)
        .withContainerID("containerd://" + idFor(name, container))
        .withNewState()
        .withNewRunning()
        .endRunning()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  /** A 64-hex-digit container ID derived from pod and container. */
  static String idFor(String pod, String container) {
    String h = Integer.toHexString((pod + "/" + container).hashCode());
    return (h + "0".repeat(64)).substring(0, 64);
  }
}
