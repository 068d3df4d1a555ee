package dev.mirrordj.verticles.cluster.copy;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.PodSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet that runs the mock API's pods for real: each new pod without a status becomes a harness
 * pod (its own network, mount and UTS namespaces) running the first container's command and
 * arguments with its environment and the API pod's name as hostname. The pod is Running once its
 * first container port listens, and Ready while its readiness probe (HTTP GET, from the cluster
 * namespace as a kubelet on the node would) succeeds, or at once when it has none. Deleting the API
 * pod kills the process.
 */
final class HarnessKubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HarnessKubelet.class);

  private final KubernetesClient api;
  private final String namespace;
  private final Cluster cluster;
  private final Map<String, dev.mirrordj.harness.Pod> running = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> probeFailures = new ConcurrentHashMap<>();
  private final Map<String, Boolean> readyShown = new ConcurrentHashMap<>();
  private final Set<String> stopped = ConcurrentHashMap.newKeySet();
  private final Thread loop;
  private volatile boolean active = true;

  HarnessKubelet(KubernetesClient api, String namespace, Cluster cluster) {
    this.api = api;
    this.namespace = namespace;
    this.cluster = cluster;
    this.loop = new Thread(this::run, "harness-kubelet");
    loop.setDaemon(true);
    loop.start();
  }

  /** The harness pod running API pod {@code name}, or null. */
  dev.mirrordj.harness.Pod pod(String name) {
    return running.get(name);
  }

  /** How many readiness probes of API pod {@code name} failed so far. */
  int probeFailures(String name) {
    return probeFailures.getOrDefault(name, new AtomicInteger()).get();
  }

  private void run() {
    while (active) {
      try {
        List<Pod> pods = api.pods().inNamespace(namespace).list().getItems();
        Set<String> present = ConcurrentHashMap.newKeySet();
        for (Pod pod : pods) {
          String name = pod.getMetadata().getName();
          present.add(name);
          if (!running.containsKey(name) && !stopped.contains(name) && hasNoStatus(pod)) {
            start(pod);
          } else if (running.containsKey(name)) {
            probe(pod);
          }
        }
        for (var e : running.entrySet()) {
          if (!present.contains(e.getKey()) && stopped.add(e.getKey())) {
            LOG.info("harness kubelet: pod {} deleted, killing it", e.getKey());
            Process p = e.getValue().process();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
          }
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (active) {
          LOG.warn("harness kubelet step failed", e);
        }
      }
    }
  }

  private static boolean hasNoStatus(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null;
  }

  private void start(Pod apiPod) {
    String name = apiPod.getMetadata().getName();
    Container c = apiPod.getSpec().getContainers().get(0);
    List<String> argv = new ArrayList<>(c.getCommand());
    if (c.getArgs() != null) {
      argv.addAll(c.getArgs());
    }
    PodSpec spec = PodSpec.named(name).hostname(name).command(argv.toArray(String[]::new));
    if (c.getEnv() != null) {
      c.getEnv().stream()
          .filter(e -> e.getValue() != null)
          .forEach(e -> spec.env(e.getName(), e.getValue()));
    }
    List<ContainerPort> ports = c.getPorts();
    if (ports != null && !ports.isEmpty()) {
      spec.readyWhenListening(ports.get(0).getContainerPort());
    }
    LOG.info("harness kubelet: starting pod {}: {}", name, argv);
    dev.mirrordj.harness.Pod pod = cluster.addPod(spec);
    running.put(name, pod);
    api.pods()
        .inNamespace(namespace)
        .withName(name)
        .edit(
            p ->
                new PodBuilder(p)
                    .withNewStatus()
                    .withPhase("Running")
                    .withPodIP(pod.ip())
                    .addNewCondition()
                    .withType("Ready")
                    .withStatus("False")
                    .withReason("ContainersNotReady")
                    .endCondition()
                    .addNewContainerStatus()
                    .withName(c.getName())
                    .withImage(c.getImage())
                    .withContainerID("containerd://harness-" + pod.pid())
                    .withReady(false)
                    .withNewState()
                    .withNewRunning()
                    .endRunning()
                    .endState()
                    .endContainerStatus()
                    .endStatus()
                    .build());
    probe(api.pods().inNamespace(namespace).withName(name).get());
  }

  /** Runs the readiness probe and writes the Ready condition when it changes. */
  private void probe(Pod apiPod) {
    String name = apiPod.getMetadata().getName();
    dev.mirrordj.harness.Pod pod = running.get(name);
    if (pod == null || !pod.isAlive()) {
      return;
    }
    Probe probe = apiPod.getSpec().getContainers().get(0).getReadinessProbe();
    boolean ready = probe == null || httpGetSucceeds(pod.ip(), probe);
    if (!ready) {
      probeFailures.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    }
    if (Boolean.valueOf(ready).equals(readyShown.put(name, ready))) {
      return;
    }
    api.pods()
        .inNamespace(namespace)
        .withName(name)
        .edit(
            p -> {
              PodBuilder b = new PodBuilder(p);
              b.editStatus()
                  .withConditions()
                  .addNewCondition()
                  .withType("Ready")
                  .withStatus(ready ? "True" : "False")
                  .withReason(ready ? null : "ContainersNotReady")
                  .endCondition()
                  .editFirstContainerStatus()
                  .withReady(ready)
                  .endContainerStatus()
                  .endStatus();
              return b.build();
            });
  }

  private boolean httpGetSucceeds(String ip, Probe probe) {
    var get = probe.getHttpGet();
    if (get == null) {
      return true;
    }
    URI uri = URI.create("http://" + ip + ":" + get.getPort().getIntVal() + get.getPath());
    try {
      return cluster.inNetns(
          () -> {
            HttpURLConnection conn = (HttpURLConnection) uri.toURL().openConnection();
            conn.setConnectTimeout(300);
            conn.setReadTimeout(300);
            try {
              int code = conn.getResponseCode();
              return code >= 200 && code < 400;
            } finally {
              conn.disconnect();
            }
          });
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    active = false;
    loop.interrupt();
    loop.join(5000);
  }
}
