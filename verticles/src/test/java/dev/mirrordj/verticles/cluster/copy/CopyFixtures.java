package dev.mirrordj.verticles.cluster.copy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.Map;

/** Targets as the API holds them: a pod of a ReplicaSet, a deployment, a job; all with probes. */
final class CopyFixtures {
  private CopyFixtures() {}

  static Probe httpProbe(int port) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath("/healthz")
        .withNewPort(port)
        .endHttpGet()
        .withPeriodSeconds(1)
        .withFailureThreshold(1)
        .build();
  }

  static Container probedContainer(String name, int port) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(name + ":1")
        .addNewEnv()
        .withName("APP_MODE")
        .withValue("copied")
        .endEnv()
        .addNewPort()
        .withContainerPort(port)
        .endPort()
        .withLivenessProbe(httpProbe(port))
        .withReadinessProbe(httpProbe(port))
        .withStartupProbe(httpProbe(port))
        .build();
  }

  /** A running pod as a ReplicaSet made it: owner reference, pod-template-hash, node binding. */
  static Pod replicaPod(String ns, String name, Map<String, String> appLabels) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .addToLabels(appLabels)
        .addToLabels("pod-template-hash", "5d8f7c9b6")
        .addToAnnotations("team", "payments")
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName(name + "-rs")
        .withUid("rs-uid-1")
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-1")
        .withContainers(probedContainer("app", 8080))
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .addNewContainerStatus()
        .withName("app")
        .withReady(true)
        .withContainerID("containerd://" + "ab".repeat(32))
        .withNewState()
        .withNewRunning()
        .endRunning()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  static Deployment deployment(String ns, String name, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .addToLabels("tier", "backend")
        .addToAnnotations("prometheus.io/scrape", "true")
        .endMetadata()
        .withNewSpec()
        .withContainers(probedContainer("main", 9090))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  static Job job(String ns, String name) {
    return new JobBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("batch.kubernetes.io/controller-uid", "job-uid-7")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "reports")
        .addToLabels("batch.kubernetes.io/controller-uid", "job-uid-7")
        .addToLabels("batch.kubernetes.io/job-name", name)
        .addToLabels("controller-uid", "job-uid-7")
        .addToLabels("job-name", name)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("OnFailure")
        .withContainers(probedContainer("worker", 7070))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
