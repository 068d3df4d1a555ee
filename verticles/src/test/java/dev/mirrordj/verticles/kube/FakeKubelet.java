package dev.mirrordj.verticles.kube;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Plays the Job controller, the scheduler and the kubelet for agent Jobs in the mock API: for each
 * new Job labelled {@code app=mirrord} in its namespace it creates the Job's pod (label {@code
 * job-name}) in the state the scenario asks for, serves that pod's log through an expectation, and
 * deletes the pod when the Job is deleted (the garbage collector's part). Ephemeral agents arrive
 * as PATCHes of the {@code ephemeralcontainers} subresource, which the CRUD mock does not
 * implement: an expectation records them and the kubelet adds the container and its status to the
 * pod.
 */
class FakeKubelet implements AutoCloseable {
  /** What the kubelet makes of an agent container. */
  enum Outcome {
    READY,
    IMAGE_PULL_ERROR,
    NEVER_READY,
    CRASH
  }

  static final String VERSION = "0.1.0-test";
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Function<String, Outcome> scenario;
  private final String namespace;
  private final Map<String, String> jobPods = new ConcurrentHashMap<>();
  private final Map<String, String> logs = new ConcurrentHashMap<>();
  private final Set<String> logRoutes = ConcurrentHashMap.newKeySet();
  final ConcurrentLinkedQueue<String> ephemeralPatches = new ConcurrentLinkedQueue<>();
  final Set<String> deletedJobs = ConcurrentHashMap.newKeySet();
  private final Thread loop;
  private volatile boolean running = true;

  /**
   * @param scenario agent container name (Job name for Jobs) → what happens to it
   */
  FakeKubelet(
      KubernetesMockServer server,
      KubernetesClient client,
      String namespace,
      Function<String, Outcome> scenario) {
    this.server = server;
    this.namespace = namespace;
    this.client = client;
    this.scenario = scenario;
    this.loop = new Thread(this::run, "fake-kubelet");
    loop.setDaemon(true);
    loop.start();
  }

  /** Route the PATCH of a pod's ephemeralcontainers subresource to this kubelet. */
  void acceptEphemeralContainers(String ns, String pod) {
    Pod current = client.pods().inNamespace(ns).withName(pod).get();
    server
        .expect()
        .patch()
        .withPath("/api/v1/namespaces/" + ns + "/pods/" + pod + "/ephemeralcontainers")
        .andReply(
            200,
            req -> {
              ephemeralPatches.add(ns + "/" + pod + " " + req.getBody().readUtf8());
              return current;
            })
        .always();
  }

  private void run() {
    while (running) {
      try {
        for (Job job :
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withLabel("app", "mirrord")
                .list()
                .getItems()) {
          String key = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
          if (!jobPods.containsKey(key)) {
            jobPods.put(key, job.getMetadata().getName() + "-x7k2p");
            startJobPod(job);
          }
        }
        for (var e : jobPods.entrySet()) {
          String[] nsName = e.getKey().split("/");
          if (!deletedJobs.contains(e.getKey())
              && client.batch().v1().jobs().inNamespace(nsName[0]).withName(nsName[1]).get()
                  == null) {
            deletedJobs.add(e.getKey());
            client.pods().inNamespace(nsName[0]).withName(e.getValue()).delete();
          }
        }
        String patch;
        while ((patch = ephemeralPatches.peek()) != null && !patch.startsWith("done ")) {
          ephemeralPatches.poll();
          startEphemeral(patch);
          ephemeralPatches.add("done " + patch);
        }
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (running) {
          org.slf4j.LoggerFactory.getLogger(FakeKubelet.class).warn("fake kubelet step failed", e);
        }
      }
    }
  }

  private void startJobPod(Job job) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName() + "-x7k2p";
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .addToLabels(job.getSpec().getTemplate().getMetadata().getLabels())
            .addToLabels("job-name", job.getMetadata().getName())
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .build();
    client.pods().inNamespace(ns).resource(pod).create();
    String container = AgentPodSpecs.CONTAINER_NAME;
    serveLog(ns, name, container);
    applyOutcome(ns, name, container, scenario.apply(job.getMetadata().getName()), false);
  }

  private void startEphemeral(String patch) {
    String[] head = patch.substring(0, patch.indexOf(' ')).split("/");
    Object body = Serialization.unmarshal(patch.substring(patch.indexOf(' ') + 1), Object.class);
    EphemeralContainer ec =
        Serialization.unmarshal(
            Serialization.asJson(findEphemeral(body)), EphemeralContainer.class);
    client
        .pods()
        .inNamespace(head[0])
        .withName(head[1])
        .edit(p -> new PodBuilder(p).editSpec().addToEphemeralContainers(ec).endSpec().build());
    serveLog(head[0], head[1], ec.getName());
    applyOutcome(head[0], head[1], ec.getName(), scenario.apply(ec.getName()), true);
  }

  /** Finds the added ephemeral container in a JSON patch or merge patch body. */
  private static Object findEphemeral(Object node) {
    if (node instanceof Map<?, ?> m) {
      if (m.containsKey("targetContainerName")) {
        return m;
      }
      for (Object v : m.values()) {
        Object found = findEphemeral(v);
        if (found != null) {
          return found;
        }
      }
    } else if (node instanceof Iterable<?> list) {
      for (Object v : list) {
        Object found = findEphemeral(v);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private void serveLog(String ns, String pod, String container) {
    if (logRoutes.add(ns + "/" + pod + "/" + container)) {
      server
          .expect()
          .get()
          .withPath(
              "/api/v1/namespaces/"
                  + ns
                  + "/pods/"
                  + pod
                  + "/log?pretty=false&container="
                  + container)
          .andReply(200, req -> logs.getOrDefault(ns + "/" + pod + "/" + container, ""))
          .always();
    }
  }

  private void applyOutcome(
      String ns, String pod, String container, Outcome outcome, boolean ephemeral) {
    var status = new ContainerStatusBuilder().withName(container).withImage("agent");
    String phase = "Running";
    switch (outcome) {
      case READY, NEVER_READY -> status.withNewState().withNewRunning().endRunning().endState();
      case IMAGE_PULL_ERROR -> {
        phase = "Pending";
        status
            .withNewState()
            .withNewWaiting()
            .withReason("ErrImagePull")
            .withMessage("pull access denied for ghcr.io/nope")
            .endWaiting()
            .endState();
      }
      case CRASH ->
          status
              .withNewState()
              .withNewTerminated()
              .withExitCode(1)
              .withReason("Error")
              .endTerminated()
              .endState();
    }
    logs.put(
        ns + "/" + pod + "/" + container,
        "starting agent\n"
            + (outcome == Outcome.READY ? "agent ready - version " + VERSION + "\n" : ""));
    String finalPhase = phase;
    client
        .pods()
        .inNamespace(ns)
        .withName(pod)
        .edit(
            p -> {
              PodBuilder b = new PodBuilder(p);
              b.editOrNewStatus().withPhase(finalPhase).endStatus();
              if (ephemeral) {
                b.editStatus().addToEphemeralContainerStatuses(status.build()).endStatus();
              } else {
                b.editStatus().withContainerStatuses(status.build()).endStatus();
              }
              return b.build();
            });
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    loop.interrupt();
    loop.join(5000);
  }
}
