package dev.mirrordj.e2e.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Poll;
import dev.mirrordj.harness.Root;
import dev.mirrordj.verticles.kube.AgentPodSpecs;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code mirrord run} against a Kubernetes API whose node runs real containers ({@link
 * ContainerKubeCluster}): the target pods are podman containers of the python3 image built here,
 * the CLI resolves them through the API ({@code docker://} container IDs the node filled in),
 * creates its agent Job, and the node runs that Job's pod from the agent image exactly as the spec
 * says (host PID, the Job's capabilities only, the node's {@code /run} with the Docker API socket);
 * the CLI waits for the ready line in the pod log and port-forwards to it through the API.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubeNodeOnContainersE2ETest {
  static final int CLUSTER_SUBNET = 13;
  static final String NS = "shop";
  static final int APP_PORT = 8080;
  static final String BODY = "hello from the kube pod";

  /** Under the Job's 100m CPU the agent JVM takes tens of seconds to print its ready line. */
  static final int STARTUP_TIMEOUT_S = 180;

  /**
   * Held so it is not collected: the mock logs every request at INFO, several a second while the
   * node polls, which would bury the test's own output.
   */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static KubernetesMockServer server;
  static KubernetesClient mockClient;
  static ContainerKubeCluster kube;
  static String targetImage;
  static TestImages.AgentImage agentImage;

  @BeforeAll
  static void startNode() throws Exception {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    Root.requireRoot();
    for (String tool : List.of("podman", "containerd", "ctr", "runc", "mmdebstrap", "curl")) {
      if (!Node.run("sh", "-c", "command -v " + tool).ok()) {
        throw new AssertionError(tool + " is missing: run scripts/install-deps.sh");
      }
    }
    agentImage = TestImages.agent();
    kube = ContainerKubeCluster.start(server, mockClient, CLUSTER_SUBNET);
    targetImage = kube.targetImage();
    mockClient
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("web-app")
                .withNamespace(NS)
                .endMetadata()
                .withData(
                    Map.of(
                        "server.py",
                        ContainersE2ETest.TARGET_SERVER,
                        "config.json",
                        "{\"from\": \"configmap\"}\n"))
                .build())
        .create();
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (kube != null) kube.close();
  }

  /**
   * {@code run -t pod/web} on a pod the node started as a podman container: the program sees the
   * pod's environment, its ConfigMap file, its hostname, the cluster DNS, connects out through it,
   * and steals the pod's requests that carry {@code X-User: alice} while every other request still
   * reaches the container's own server. When run ends, its Job, the Job's pod and the agent
   * container are gone and the pod serves alice again.
   */
  @Test
  void runOnAPodStartedAsAPodmanContainer() throws Exception {
    createPod("web", Map.of("app", "web"), "kube-pod");
    Pod web = awaitReady("web");
    ContainerKubelet.RunningPod container = kube.kubelet.pod(NS, "web").orElseThrow();
    assertEquals(
        "docker://" + PodmanContainers.id(container.runtimeName()),
        web.getStatus().getContainerStatuses().get(0).getContainerID());
    assertTrue(
        web.getStatus().getPodIP().startsWith("10.200." + CLUSTER_SUBNET + "."),
        web.getStatus().getPodIP());
    String base = "http://" + web.getStatus().getPodIP() + ":" + APP_PORT;
    Poll.until(
        "the pod's own server answers on " + base,
        Duration.ofSeconds(60),
        () -> curl(base + "/ready").equals(BODY + "\n"));

    Path dir = kube.node.root.resolve("session-pod");
    Files.createDirectories(dir);
    try (ContainerSession run =
        ContainerSession.start(dir, kubeMembers(dir, "pod/web"), APP_PORT, "^x-user: alice$")) {
      Poll.until(
          "the local program listens under mirrord run",
          Duration.ofSeconds(STARTUP_TIMEOUT_S + 60),
          () -> run.stdout().contains("listening") || !run.alive());
      String out = run.stdout();
      String context = run.output() + agentLogs();
      assertTrue(out.contains("listening"), context);
      assertTrue(out.contains("ENV kube-pod\n"), context);
      assertTrue(out.contains("FILE {\"from\": \"configmap\"}\n"), context);
      assertTrue(out.contains("HOST web\n"), context);
      assertTrue(out.contains("DNS " + kube.cluster.echoIp() + "\n"), context);
      assertTrue(out.contains("ECHO ping through the container\n"), context);

      Job job = onlyAgentJob();
      List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
      assertTrue(
          String.join(" ", args)
              .contains("--container-id " + PodmanContainers.id(container.runtimeName())),
          "the Job targets the container the pod status names: " + args);
      assertAgentContainerRunsAsItsJobSays(job);

      Poll.until(
          "requests with X-User: alice reach the local program",
          Duration.ofSeconds(60),
          () -> curl("-H", "X-User: alice", base + "/probe").startsWith("local "));
      for (int i = 0; i < 5; i++) {
        assertEquals("local /a-" + i + "\n", curl("-H", "X-User: alice", base + "/a-" + i));
        assertEquals(BODY + "\n", curl("-H", "X-User: bob", base + "/b-" + i), "other user " + i);
        assertEquals(BODY + "\n", curl(base + "/n-" + i), "no header " + i);
      }
      List<String> seen = run.requestsSeen();
      assertTrue(
          seen.stream().noneMatch(p -> p.startsWith("/b-") || p.startsWith("/n-")),
          "unmatched requests never reach the local program: " + seen);
      assertEquals("local /quit\n", curl("-H", "X-User: alice", base + "/quit"));
      assertEquals(0, run.awaitExit(60), run.output());
    }
    Poll.until(
        "after run ends, alice's requests reach the pod again",
        Duration.ofSeconds(30),
        () -> curl("-H", "X-User: alice", base + "/after").equals(BODY + "\n"));
    assertAgentGone();
  }

  /**
   * {@code run -t deployment/api} with two replicas under containerd ({@code containerd://} IDs),
   * one of which crashed: the CLI picks the pod that is running and ready, whatever their names'
   * order, its agent finds the container through the node's containerd, and the program sees that
   * pod.
   */
  @Test
  void runOnADeploymentPicksItsReadyPod() throws Exception {
    mockClient
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("api")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "api")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "api")
                .endMetadata()
                .withSpec(podSpec("kube-deployment", ContainerKubelet.CONTAINERD_RUNTIME_CLASS))
                .endTemplate()
                .endSpec()
                .build())
        .create();
    Poll.until(
        "both replicas of deployment api are ready",
        Duration.ofSeconds(90),
        () -> apiPods().stream().filter(KubeNodeOnContainersE2ETest::ready).count() == 2);
    for (Pod replica : apiPods()) {
      String id = replica.getStatus().getContainerStatuses().get(0).getContainerID();
      assertTrue(id.matches("containerd://[0-9a-f]{64}"), id);
      String taskId = id.substring("containerd://".length());
      assertEquals(
          kube.kubelet.pod(NS, replica.getMetadata().getName()).orElseThrow().pid(),
          kube.containerd.taskPid(ContainerdPodRuntime.NAMESPACE, taskId));
    }
    List<String> names = apiPods().stream().map(p -> p.getMetadata().getName()).sorted().toList();
    String crashed = names.get(0);
    String survivor = names.get(1);
    // the pod that sorts first is the one a name-ordered choice would take: it crashes
    kube.kubelet.crash(NS, crashed);
    Poll.until(
        crashed + " is reported not ready",
        Duration.ofSeconds(30),
        () -> !ready(mockClient.pods().inNamespace(NS).withName(crashed).get()));
    Pod crashedPod = mockClient.pods().inNamespace(NS).withName(crashed).get();
    assertEquals(
        "CrashLoopBackOff",
        crashedPod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason());
    assertEquals(
        137,
        crashedPod
            .getStatus()
            .getContainerStatuses()
            .get(0)
            .getLastState()
            .getTerminated()
            .getExitCode());

    Path dir = kube.node.root.resolve("session-deployment");
    Files.createDirectories(dir);
    Path config = dir.resolve("mirrord.json");
    Files.writeString(
        config,
        "{"
            + kubeMembers(dir, "deployment/api")
            + ", \"feature\": {\"env\": {\"include\": \"APP_*\"}, \"fs\": {\"mode\": \"read\"}}}");
    ExecResult result =
        runOnce(
            dir,
            config,
            "/usr/bin/python3",
            "-c",
            "import os, socket; print(os.environ.get('APP_MODE'), socket.gethostname(),"
                + " open('/app/config.json').read().strip())");
    assertEquals(0, result.exitCode(), result.stderr() + result.stdout());
    assertEquals(
        "kube-deployment " + survivor + " {\"from\": \"configmap\"}\n",
        result.stdout(),
        result.stderr());
    assertAgentGone();
  }

  /**
   * An agent image the node does not have: the node reports {@code ErrImageNeverPull} as a kubelet
   * would, and run fails at once naming the reason and the options to check, instead of waiting out
   * its startup timeout; its Job is removed.
   */
  @Test
  void aMissingAgentImageFailsRunFastWithTheKubeletsReason() throws Exception {
    Path dir = kube.node.root.resolve("session-missing-image");
    Files.createDirectories(dir);
    Path config = dir.resolve("mirrord.json");
    Files.writeString(
        config,
        "{\"kubeconfig\": \""
            + kube.kubeconfig(dir, NS)
            + "\", \"agent\": {\"image\": \"localhost/mirrordj-agent:no-such-tag\","
            + " \"startup_timeout\": "
            + STARTUP_TIMEOUT_S
            + "}}");
    ExecResult result = runOnce(dir, config, "/bin/true");
    assertTrue(result.exitCode() != 0, result.stderr());
    assertTrue(result.stderr().contains("ErrImageNeverPull"), result.stderr());
    assertTrue(result.stderr().contains("agent.image"), result.stderr());
    assertTrue(
        !result.stderr().contains("agent.startup_timeout"),
        "the fast failure, not the end of the startup timeout:\n" + result.stderr());
    assertAgentGone();
  }

  // ---- the cluster's objects ----

  /**
   * @param runtimeClass null for the node's default runtime (podman)
   */
  static PodSpec podSpec(String appMode, String runtimeClass) {
    return new PodSpecBuilder()
        .withRuntimeClassName(runtimeClass)
        .addNewContainer()
        .withName("app")
        .withImage(targetImage)
        .withCommand("python3", "/app/server.py")
        .withArgs(Integer.toString(APP_PORT), BODY)
        .addNewEnv()
        .withName("APP_MODE")
        .withValue(appMode)
        .endEnv()
        .addNewVolumeMount()
        .withName("app")
        .withMountPath("/app")
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("app")
        .withNewConfigMap()
        .withName("web-app")
        .endConfigMap()
        .endVolume()
        .build();
  }

  static void createPod(String name, Map<String, String> labels, String appMode) {
    mockClient
        .pods()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withLabels(labels)
                .endMetadata()
                .withSpec(podSpec(appMode, null))
                .build())
        .create();
  }

  static Pod awaitReady(String name) {
    Poll.until(
        "pod " + name + " is running and ready",
        Duration.ofSeconds(60),
        () -> ready(mockClient.pods().inNamespace(NS).withName(name).get()));
    return mockClient.pods().inNamespace(NS).withName(name).get();
  }

  static boolean ready(Pod pod) {
    return pod != null
        && pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  static List<Pod> apiPods() {
    return mockClient.pods().inNamespace(NS).withLabel("app", "api").list().getItems();
  }

  /** The configuration members that send run through the node's API for {@code target}. */
  static String kubeMembers(Path dir, String target) throws Exception {
    return "\"kubeconfig\": \""
        + kube.kubeconfig(dir, NS)
        + "\", \"target\": {\"path\": \""
        + target
        + "\", \"namespace\": \""
        + NS
        + "\"}, \"agent\": {\"image\": \""
        + agentImage.contentTag()
        + "\", \"startup_timeout\": "
        + STARTUP_TIMEOUT_S
        + "}";
  }

  // ---- the agent Job on the node ----

  static Job onlyAgentJob() {
    List<Job> jobs =
        mockClient
            .batch()
            .v1()
            .jobs()
            .inNamespace(NS)
            .withLabel("app", "mirrord")
            .list()
            .getItems();
    assertEquals(1, jobs.size(), "one agent Job: " + jobs);
    return jobs.get(0);
  }

  /**
   * The agent pod's container, inspected on this host: the host's PID namespace, exactly the Job's
   * capabilities, and the node's {@code /run} (with the Docker API socket) at {@code /host/run}.
   */
  static void assertAgentContainerRunsAsItsJobSays(Job job) {
    Pod agentPod =
        mockClient
            .pods()
            .inNamespace(NS)
            .withLabel("job-name", job.getMetadata().getName())
            .list()
            .getItems()
            .get(0);
    ContainerKubelet.RunningPod agent =
        kube.kubelet.pod(NS, agentPod.getMetadata().getName()).orElseThrow();
    String inspect =
        Node.check(
                "podman",
                "inspect",
                "--format",
                "{{.HostConfig.PidMode}}|{{range .EffectiveCaps}}{{.}} {{end}}|"
                    + "{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}|{{.ImageName}}",
                agent.runtimeName())
            .stdout()
            .trim();
    String[] parts = inspect.split("\\|", -1);
    assertEquals("host", parts[0], inspect);
    Set<String> caps = Set.of(parts[1].trim().split(" "));
    Set<String> wanted =
        Set.copyOf(AgentPodSpecs.CAPABILITIES.stream().map(c -> "CAP_" + c).toList());
    assertEquals(wanted, caps, inspect);
    assertTrue(
        List.of(parts[2].split(" ")).contains(kube.node.hostPath("/run") + ":/host/run"), inspect);
    assertTrue(Files.exists(kube.node.dockerSocket()), "the node's Docker API socket");
    assertEquals(agentImage.contentTag(), parts[3], inspect);
  }

  /** The CLI deleted its Job; the collector deleted its pod; the kubelet removed the container. */
  static void assertAgentGone() {
    Poll.until(
        "the agent Job, its pod and its container are gone",
        Duration.ofSeconds(30),
        () ->
            mockClient.batch().v1().jobs().inNamespace(NS).list().getItems().isEmpty()
                && mockClient
                    .pods()
                    .inNamespace(NS)
                    .withLabel("app", "mirrord")
                    .list()
                    .getItems()
                    .isEmpty()
                && kube.kubelet.pods().stream()
                    .noneMatch(p -> p.container().equals(AgentPodSpecs.CONTAINER_NAME))
                && Node.run(
                        "podman",
                        "ps",
                        "-a",
                        "--filter",
                        "label=" + ContainerKubelet.NODE_LABEL,
                        "--format",
                        "{{.Names}}")
                    .stdout()
                    .lines()
                    .noneMatch(n -> n.contains("mirrord-agent")));
  }

  static String agentLogs() {
    StringBuilder b = new StringBuilder();
    for (ContainerKubelet.RunningPod p : kube.kubelet.pods()) {
      if (p.container().equals(AgentPodSpecs.CONTAINER_NAME)) {
        b.append("--- agent pod ")
            .append(p.name())
            .append(":\n")
            .append(kube.kubelet.logs(p.namespace(), p.name()));
      }
    }
    return b.toString();
  }

  // ---- helpers ----

  /** One {@code mirrord run} of a short program to its end (3 min at most). */
  static ExecResult runOnce(Path dir, Path config, String... program) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ContainerSession.FAT_JAR.toString(),
                "run",
                "-f",
                config.toString(),
                "--"));
    cmd.addAll(List.of(program));
    Path out = dir.resolve("run.out");
    Path err = dir.resolve("run.err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("MIRRORD_PROGRESS_MODE", "off");
    Process p = pb.start();
    try {
      if (!p.waitFor(STARTUP_TIMEOUT_S + 60, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "run did not finish:\n" + Files.readString(err) + "\n" + agentLogs());
      }
      return new ExecResult(
          List.copyOf(cmd), p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  static String curl(String... args) {
    List<String> argv = new ArrayList<>(List.of("curl", "-s", "-m", "25"));
    argv.addAll(List.of(args));
    ExecResult r = kube.cluster.exec(argv.toArray(String[]::new));
    return r.ok() ? r.stdout() : "";
  }
}
