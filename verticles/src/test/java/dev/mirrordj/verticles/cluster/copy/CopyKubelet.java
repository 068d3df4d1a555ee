package dev.mirrordj.verticles.cluster.copy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Plays scheduler and kubelet for copy pods in the mock API (which stores pods but runs nothing):
 * each new pod carrying {@link CopyMarkers#SESSION_LABEL} in its namespace gets the status the
 * scenario asks for — Running with condition Ready, stuck in ContainerCreating, or an image pull
 * error.
 */
final class CopyKubelet implements AutoCloseable {
  enum Outcome {
    READY,
    NEVER_READY,
    IMAGE_PULL_ERROR
  }

  private final KubernetesClient client;
  private final String namespace;
  private final Function<Pod, Outcome> scenario;
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final Thread loop;
  private volatile boolean running = true;

  CopyKubelet(KubernetesClient client, String namespace, Function<Pod, Outcome> scenario) {
    this.client = client;
    this.namespace = namespace;
    this.scenario = scenario;
    this.loop = new Thread(this::run, "copy-kubelet");
    loop.setDaemon(true);
    loop.start();
  }

  private void run() {
    while (running) {
      try {
        for (Pod pod :
            client
                .pods()
                .inNamespace(namespace)
                .withLabel(CopyMarkers.SESSION_LABEL)
                .list()
                .getItems()) {
          if (handled.add(pod.getMetadata().getName())) {
            start(pod, scenario.apply(pod));
          }
        }
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (running) {
          LoggerFactory.getLogger(CopyKubelet.class).warn("copy kubelet step failed", e);
        }
      }
    }
  }

  private void start(Pod pod, Outcome outcome) {
    List<ContainerStatus> statuses =
        pod.getSpec().getContainers().stream()
            .map(
                c -> {
                  var s =
                      new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage());
                  return switch (outcome) {
                    case READY ->
                        s.withReady(true)
                            .withContainerID("containerd://" + pod.getMetadata().getName())
                            .withNewState()
                            .withNewRunning()
                            .endRunning()
                            .endState()
                            .build();
                    case NEVER_READY ->
                        s.withReady(false)
                            .withNewState()
                            .withNewWaiting()
                            .withReason("ContainerCreating")
                            .endWaiting()
                            .endState()
                            .build();
                    case IMAGE_PULL_ERROR ->
                        s.withReady(false)
                            .withNewState()
                            .withNewWaiting()
                            .withReason("ErrImagePull")
                            .withMessage("pull access denied for " + c.getImage())
                            .endWaiting()
                            .endState()
                            .build();
                  };
                })
            .toList();
    boolean ready = outcome == Outcome.READY;
    client
        .pods()
        .inNamespace(namespace)
        .withName(pod.getMetadata().getName())
        .edit(
            p ->
                new PodBuilder(p)
                    .withNewStatus()
                    .withPhase(ready ? "Running" : "Pending")
                    .addNewCondition()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .withReason(ready ? null : "ContainersNotReady")
                    .endCondition()
                    .withContainerStatuses(statuses)
                    .endStatus()
                    .build());
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    loop.interrupt();
    loop.join(5000);
  }
}
