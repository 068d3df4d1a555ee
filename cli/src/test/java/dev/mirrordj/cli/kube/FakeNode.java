package dev.mirrordj.cli.kube;

import dev.mirrordj.verticles.kube.AgentPodSpecs;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.net.SocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node for the mock API: when an agent Job appears, it creates the Job's pod, starts the agent as
 * a real local process, publishes the process's output as the pod log, marks the pod Running, and
 * routes port-forwards for the pod to the process (through {@link FakeApiFront}). Deleting the Job
 * kills the process and deletes the pod.
 *
 * <p>How the agent is reached (documented contract): the agent runs on this host, not in a pod
 * network namespace; the node rewrites the Job's {@code --port P} to a free loopback port H (adding
 * {@code --listen 127.0.0.1}) and the front sends port-forwards for {@code <pod>:P} to {@code
 * 127.0.0.1:H}. Everything else in the Job's arguments reaches the process unchanged, after {@link
 * AgentExec#command}.
 */
final class FakeNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FakeNode.class);

  /**
   * How to start an agent: the command that precedes the Job's arguments, and argument rewriting.
   */
  interface AgentExec {
    List<String> command();

    /** Last chance to adapt the Job's (already port-rewritten) arguments. */
    default List<String> arguments(List<String> jobArgs) {
      return jobArgs;
    }

    /**
     * Extra environment of the agent process (the node's view, e.g. where the runtime sockets are).
     */
    default Map<String, String> environment() {
      return Map.of();
    }
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final FakeApiFront front;
  private final String namespace;
  private final AgentExec exec;
  private final Map<String, RunningAgent> agents = new ConcurrentHashMap<>();
  private final Thread loop;
  private volatile boolean running = true;

  record RunningAgent(String pod, Process process, StringBuffer output) {}

  FakeNode(
      KubernetesMockServer server,
      KubernetesClient client,
      FakeApiFront front,
      String namespace,
      AgentExec exec) {
    this.server = server;
    this.client = client;
    this.front = front;
    this.namespace = namespace;
    this.exec = exec;
    this.loop = new Thread(this::run, "fake-node");
    loop.setDaemon(true);
    loop.start();
  }

  /** The agents this node started, by Job name. */
  Map<String, RunningAgent> agents() {
    return agents;
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
          if (!agents.containsKey(job.getMetadata().getName())) {
            agents.put(job.getMetadata().getName(), startAgent(job));
          }
        }
        for (var e : agents.entrySet()) {
          if (e.getValue().process().isAlive()
              && client.batch().v1().jobs().inNamespace(namespace).withName(e.getKey()).get()
                  == null) {
            stop(e.getValue());
            client.pods().inNamespace(namespace).withName(e.getValue().pod()).delete();
          }
        }
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (running) {
          LOG.warn("fake node step failed", e);
        }
      }
    }
  }

  private RunningAgent startAgent(Job job) throws Exception {
    String pod = job.getMetadata().getName() + "-node1";
    var template = job.getSpec().getTemplate();
    client
        .pods()
        .inNamespace(namespace)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(pod)
                .addToLabels(template.getMetadata().getLabels())
                .addToLabels("job-name", job.getMetadata().getName())
                .endMetadata()
                .withSpec(template.getSpec())
                .withNewStatus()
                .withPhase("Pending")
                .endStatus()
                .build())
        .create();
    List<String> args = new ArrayList<>(template.getSpec().getContainers().get(0).getArgs());
    int podPort = Integer.parseInt(args.get(args.indexOf("--port") + 1));
    int hostPort;
    try (ServerSocket s = new ServerSocket(0)) {
      hostPort = s.getLocalPort();
    }
    args.set(args.indexOf("--port") + 1, Integer.toString(hostPort));
    args.addAll(0, List.of("--listen", "127.0.0.1"));
    List<String> argv = new ArrayList<>(exec.command());
    argv.addAll(exec.arguments(args));
    LOG.info("fake node: starting agent for job {}: {}", job.getMetadata().getName(), argv);
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    // like a kubelet: the container's plain env (the agent.* options AgentCommandLine carries)
    // first
    var containerEnv = template.getSpec().getContainers().get(0).getEnv();
    if (containerEnv != null) {
      containerEnv.stream()
          .filter(e -> e.getValue() != null)
          .forEach(e -> builder.environment().put(e.getName(), e.getValue()));
      // and, as a kubelet does, values from the Secrets the container refers to
      for (var e : containerEnv) {
        if (e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null) continue;
        var ref = e.getValueFrom().getSecretKeyRef();
        var secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (secret == null) {
          throw new IllegalStateException("secret " + ref.getName() + " of " + e.getName());
        }
        String value =
            secret.getData() != null && secret.getData().containsKey(ref.getKey())
                ? new String(
                    java.util.Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
                    java.nio.charset.StandardCharsets.UTF_8)
                : secret.getStringData().get(ref.getKey());
        builder.environment().put(e.getName(), value);
      }
    }
    builder.environment().putAll(exec.environment());
    Process process = builder.start();
    StringBuffer output = new StringBuffer();
    Thread pump =
        new Thread(
            () -> {
              try (var r = process.inputReader()) {
                String line;
                while ((line = r.readLine()) != null) {
                  output.append(line).append('\n');
                }
              } catch (java.io.IOException ignored) {
                // process ended
              }
            },
            "fake-node-log-" + pod);
    pump.setDaemon(true);
    pump.start();
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/"
                + namespace
                + "/pods/"
                + pod
                + "/log?pretty=false&container="
                + AgentPodSpecs.CONTAINER_NAME)
        .andReply(200, req -> output.toString())
        .always();
    front.route(namespace, pod, podPort, SocketAddress.inetSocketAddress(hostPort, "127.0.0.1"));
    client.pods().inNamespace(namespace).withName(pod).edit(p -> running(p));
    return new RunningAgent(pod, process, output);
  }

  private static Pod running(Pod p) {
    return new PodBuilder(p)
        .editStatus()
        .withPhase("Running")
        .withPodIP("127.0.0.1")
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName(AgentPodSpecs.CONTAINER_NAME)
                .withReady(true)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .build())
        .endStatus()
        .build();
  }

  private static void stop(RunningAgent agent) throws InterruptedException {
    agent.process().descendants().forEach(ProcessHandle::destroyForcibly);
    agent.process().destroyForcibly();
    agent.process().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    loop.interrupt();
    loop.join(5000);
    for (RunningAgent agent : agents.values()) {
      stop(agent);
    }
  }
}
