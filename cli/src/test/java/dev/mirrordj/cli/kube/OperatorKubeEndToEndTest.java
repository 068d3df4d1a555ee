package dev.mirrordj.cli.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import dev.mirrordj.verticles.cluster.copy.CopyMarkers;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator with Kubernetes targets (root), on the mock API with the fake node ({@link
 * KubeWorld}): operator nodes run as their own JVMs with a kubeconfig for the mock API; users'
 * {@code run}s open sessions through them. The operator (not the CLI) creates the target's agent
 * Job, shares it between sessions and deletes it after the last session plus its TTL; with {@code
 * copy_target} it copies the target's pod (a test kubelet runs the copy as a second harness pod),
 * and with {@code scale_down} holds the deployment at 0 replicas while the copy lives and restores
 * them whatever ends the session: the client killed with SIGKILL, or its operator node killed.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class OperatorKubeEndToEndTest {
  static final String POD_BODY = "hello from the pod";
  static final String COPY_CONTAINER_ID =
      "c0c0c0c0e9b8a7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817060504";
  static final int AGENT_TTL_S = 3;
  static KubernetesMockServer server;
  static KubernetesClient mockClient;
  @TempDir Path hostRoot;
  @TempDir Path work;

  /** A local HTTP server answering {@code <name> <path>}. */
  static final String APP =
      String.join(
          "\n",
          "import http.server, sys",
          "port, name = int(sys.argv[1]), sys.argv[2]",
          "class H(http.server.BaseHTTPRequestHandler):",
          "    protocol_version = 'HTTP/1.1'",
          "    def do_GET(self):",
          "        body = (name + ' ' + self.path + '\\n').encode()",
          "        self.send_response(200)",
          "        self.send_header('Content-Length', str(len(body)))",
          "        self.end_headers()",
          "        self.wfile.write(body)",
          "    def log_message(self, *a):",
          "        pass",
          "srv = http.server.ThreadingHTTPServer(('0.0.0.0', port), H)",
          "srv.serve_forever()",
          "");

  @Test
  void twoUsersShareTheAgentTheOperatorCreatedAndItIsRemovedAfterTheTtl() throws Exception {
    Root.requireRoot();
    int port = freePort();
    try (KubeWorld world =
            new KubeWorld(server, hostRoot, spec -> spec.httpServer(port, POD_BODY));
        Nodes nodes = Nodes.start(world, work, 2)) {
      String base = "http://" + world.pod.ip() + ":" + port;
      try (Run alice = user(world, nodes.address(0), "alice", "pod/web", port, freePort(), "");
          Run bob = user(world, nodes.address(1), "bob", "pod/web", port, freePort(), "")) {
        await(
            "alice's requests reach her",
            alice,
            nodes,
            () -> curl(world, "-H", "X-User: alice", base + "/p").startsWith("alice "));
        await(
            "bob's requests reach him",
            bob,
            nodes,
            () -> curl(world, "-H", "X-User: bob", base + "/p").startsWith("bob "));
        for (int i = 0; i < 5; i++) {
          assertEquals("alice /a" + i + "\n", curl(world, "-H", "X-User: alice", base + "/a" + i));
          assertEquals("bob /b" + i + "\n", curl(world, "-H", "X-User: bob", base + "/b" + i));
          assertTrue(curl(world, base + "/n" + i).startsWith(POD_BODY), "unmatched " + i);
        }
        assertEquals(
            1,
            world.nodeClient.batch().v1().jobs().inNamespace(world.ns).list().getItems().size(),
            "one agent Job for both sessions, created by the operator\n" + nodes.logs());
        assertEquals(1, world.node.agents().size(), "one agent process on the node");
      }
      FakeNode.RunningAgent agent = world.node.agents().values().iterator().next();
      await(
          "the agent Job is deleted once the TTL has passed without sessions",
          null,
          nodes,
          () ->
              world.nodeClient.batch().v1().jobs().inNamespace(world.ns).list().getItems().isEmpty()
                  && !agent.process().isAlive());
    }
  }

  @Test
  void copyTargetWithScaleDownRestoresTheReplicasWhenTheClientIsKilled() throws Exception {
    Root.requireRoot();
    try (KubeWorld world = new KubeWorld(server, hostRoot);
        CopyKubelet kubelet = CopyKubelet.start(world);
        Nodes nodes = Nodes.start(world, work, 1)) {
      deployment(world, "api", 2);
      try (Run run =
          program(
              world,
              nodes.address(0),
              "deployment/api",
              "\"copy_target\": {\"scale_down\": true}",
              "echo \"mode=$APP_MODE host=$(hostname)\"; sleep 600")) {
        await("the program runs on the copy", run, nodes, () -> run.out().contains("mode=copy"));
        assertTrue(run.out().contains("host=api-copy-pod"), run.output());
        String copy = onlyCopy(world);
        assertTrue(copy.startsWith("api-copy-"), copy);
        assertEquals(0, replicas(world, "api"), "held at 0 while the copy lives");
        assertTrue(
            world
                .nodeClient
                .pods()
                .inNamespace(world.ns)
                .withName(copy)
                .get()
                .getSpec()
                .getContainers()
                .stream()
                .allMatch(c -> c.getLivenessProbe() == null && c.getReadinessProbe() == null),
            "the copy has no probes");
        run.killHard();
        await(
            "replicas restored and the copy deleted after the client's SIGKILL",
            null,
            nodes,
            () -> replicas(world, "api") == 2 && copies(world).isEmpty());
        assertFalse(
            world
                .nodeClient
                .apps()
                .deployments()
                .inNamespace(world.ns)
                .withName("api")
                .get()
                .getMetadata()
                .getAnnotations()
                .containsKey(CopyMarkers.ORIGINAL_REPLICAS_ANNOTATION),
            "the hold annotations are gone");
      }
    }
  }

  @Test
  void aSurvivingNodeRestoresTheReplicasAndDeletesTheCopyOfAKilledNode() throws Exception {
    Root.requireRoot();
    try (KubeWorld world = new KubeWorld(server, hostRoot);
        CopyKubelet kubelet = CopyKubelet.start(world);
        Nodes nodes = Nodes.start(world, work, 2)) {
      deployment(world, "api", 3);
      try (Run run =
          program(
              world,
              nodes.address(0),
              "deployment/api",
              "\"copy_target\": {\"scale_down\": true}",
              "echo \"mode=$APP_MODE\"; sleep 600")) {
        await("the program runs on the copy", run, nodes, () -> run.out().contains("mode=copy"));
        assertEquals(0, replicas(world, "api"));
        assertEquals(1, copies(world).size());
        nodes.killHard(0);
        assertTrue(run.endsWithin(15_000), "run ends with its node\n" + run.output());
        assertNotEquals(0, run.exitCode(), run.output());
        await(
            "the surviving node restored the replicas and deleted the copy",
            null,
            nodes,
            () -> replicas(world, "api") == 3 && copies(world).isEmpty());
        assertTrue(
            nodes.log(1).contains("undoing its target preparation"),
            "node 1 did it\n" + nodes.logs());
      }
    }
  }

  @Test
  void jobTargetRunsOnACopyOfItsPodTemplate() throws Exception {
    Root.requireRoot();
    try (KubeWorld world = new KubeWorld(server, hostRoot);
        CopyKubelet kubelet = CopyKubelet.start(world);
        Nodes nodes = Nodes.start(world, work, 1)) {
      world
          .nodeClient
          .batch()
          .v1()
          .jobs()
          .inNamespace(world.ns)
          .resource(
              new JobBuilder()
                  .withNewMetadata()
                  .withName("migrate")
                  .withNamespace(world.ns)
                  .endMetadata()
                  .withNewSpec()
                  .withNewTemplate()
                  .withNewMetadata()
                  .addToLabels("app", "migrate")
                  .endMetadata()
                  .withNewSpec()
                  .withRestartPolicy("Never")
                  .addNewContainer()
                  .withName("app")
                  .withImage("migrate:1")
                  .endContainer()
                  .endSpec()
                  .endTemplate()
                  .endSpec()
                  .build())
          .create();
      try (Run run =
          program(
              world,
              nodes.address(0),
              "job/migrate",
              "\"copy_target\": true",
              "echo \"mode=$APP_MODE host=$(hostname)\"")) {
        assertTrue(run.endsWithin(240_000), "run finished\n" + run.output() + nodes.logs());
        assertEquals(0, run.exitCode(), run.output() + nodes.logs());
        assertTrue(run.out().contains("mode=copy host=api-copy-pod"), run.output());
        await("the copy is deleted at the end", null, nodes, () -> copies(world).isEmpty());
      }
    }
  }

  @Test
  void runFindsTheOperatorThroughItsServiceWhenNoAddressIsGiven() throws Exception {
    Root.requireRoot();
    try (KubeWorld world = new KubeWorld(server, hostRoot);
        Nodes nodes = Nodes.start(world, work, 1)) {
      operatorService(world, nodes.port(0));
      Path config =
          Files.writeString(
              Files.createTempDirectory(work, "found").resolve("mirrord.json"),
              """
              {"operator": true, "kubeconfig": "%s",
               "target": {"path": "pod/web", "namespace": "%s"}}
              """
                  .formatted(world.kubeconfig(work), world.ns));
      try (Run run =
          start(
              null,
              "dave",
              Files.readString(config),
              List.of("bash", "-c", "echo \"$APP_MODE\"; hostname"))) {
        assertTrue(run.endsWithin(240_000), "run finished\n" + run.output() + nodes.logs());
        assertEquals(0, run.exitCode(), run.output() + nodes.logs());
        assertEquals(List.of("kube-e2e", "web-7d9f"), run.out().lines().toList(), run.output());
        assertTrue(
            run.output().contains("looking for the operator (Service mirrord/mirrord-operator)"),
            run.output());
        assertTrue(
            nodes.log(0).contains("starting the agent for " + world.ns + "/pod/web"),
            "the operator created the agent\n" + nodes.logs());
      }
    }
  }

  // --- the world's objects

  /**
   * The operator as conf/operator/ installs it: Service mirrord/mirrord-operator, its port
   * "sessions" leading to the container port of that name on a ready pod; the API front carries
   * port-forwards for that pod to the node's session port.
   */
  static void operatorService(KubeWorld world, int sessionPort) {
    world
        .nodeClient
        .services()
        .inNamespace("mirrord")
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata()
                .withName("mirrord-operator")
                .withNamespace("mirrord")
                .endMetadata()
                .withNewSpec()
                .addToSelector("app.kubernetes.io/name", "mirrord-operator")
                .addNewPort()
                .withName("sessions")
                .withPort(7700)
                .withNewTargetPort("sessions")
                .endPort()
                .endSpec()
                .build())
        .create();
    world
        .nodeClient
        .pods()
        .inNamespace("mirrord")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("mirrord-operator-0")
                .withNamespace("mirrord")
                .addToLabels("app.kubernetes.io/name", "mirrord-operator")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("operator")
                .withImage("agent:1")
                .addNewPort()
                .withName("sessions")
                .withContainerPort(7700)
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build())
        .create();
    world.front.route(
        "mirrord",
        "mirrord-operator-0",
        7700,
        io.vertx.core.net.SocketAddress.inetSocketAddress(sessionPort, "127.0.0.1"));
  }

  static void deployment(KubeWorld world, String name, int replicas) {
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(world.ns)
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", name)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage(name + ":1")
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPath("/ready")
            .withNewPort(8080)
            .endHttpGet()
            .endReadinessProbe()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    world.nodeClient.apps().deployments().inNamespace(world.ns).resource(d).create();
  }

  static int replicas(KubeWorld world, String name) {
    return world
        .nodeClient
        .apps()
        .deployments()
        .inNamespace(world.ns)
        .withName(name)
        .get()
        .getSpec()
        .getReplicas();
  }

  static List<String> copies(KubeWorld world) {
    return world
        .nodeClient
        .pods()
        .inNamespace(world.ns)
        .withLabel(CopyMarkers.SESSION_LABEL)
        .list()
        .getItems()
        .stream()
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  static String onlyCopy(KubeWorld world) {
    List<String> copies = copies(world);
    assertEquals(1, copies.size(), copies.toString());
    return copies.get(0);
  }

  /**
   * The kubelet for copy pods: a copy that appears is bound to node-1 and reported Running and
   * Ready, its container being the harness pod "api-copy-pod" (env APP_MODE=copy), through the
   * node's Docker Engine API.
   */
  static final class CopyKubelet implements AutoCloseable {
    private final Thread loop;
    private volatile boolean running = true;

    private CopyKubelet(KubeWorld world) {
      Pod copyPod =
          world.cluster.addPod(
              PodSpec.named("api-copy-pod").hostname("api-copy-pod").env("APP_MODE", "copy"));
      world.addContainer(COPY_CONTAINER_ID, copyPod);
      loop =
          new Thread(
              () -> {
                while (running) {
                  try {
                    for (var p :
                        world
                            .nodeClient
                            .pods()
                            .inNamespace(world.ns)
                            .withLabel(CopyMarkers.SESSION_LABEL)
                            .list()
                            .getItems()) {
                      if (p.getStatus() == null || !"Running".equals(p.getStatus().getPhase())) {
                        world
                            .nodeClient
                            .pods()
                            .inNamespace(world.ns)
                            .withName(p.getMetadata().getName())
                            .edit(CopyKubelet::runningCopy);
                      }
                    }
                    Thread.sleep(100); // the kubelet's polling interval
                  } catch (InterruptedException e) {
                    return;
                  } catch (RuntimeException e) {
                    // a copy deleted between list and edit: the next round sees the truth
                  }
                }
              },
              "copy-kubelet");
      loop.setDaemon(true);
      loop.start();
    }

    static CopyKubelet start(KubeWorld world) {
      return new CopyKubelet(world);
    }

    private static io.fabric8.kubernetes.api.model.Pod runningCopy(
        io.fabric8.kubernetes.api.model.Pod p) {
      String container = p.getSpec().getContainers().get(0).getName();
      return new PodBuilder(p)
          .editSpec()
          .withNodeName("node-1")
          .endSpec()
          .withNewStatus()
          .withPhase("Running")
          .withPodIP("127.0.0.1")
          .addNewCondition()
          .withType("Ready")
          .withStatus("True")
          .endCondition()
          .withContainerStatuses(
              new ContainerStatusBuilder()
                  .withName(container)
                  .withReady(true)
                  .withContainerID("docker://" + COPY_CONTAINER_ID)
                  .withNewState()
                  .withNewRunning()
                  .endRunning()
                  .endState()
                  .build())
          .endStatus()
          .build();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      loop.interrupt();
      loop.join(5000);
    }
  }

  // --- processes

  static List<String> java(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.mirrordj.cli.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Operator nodes, each its own JVM, with a kubeconfig for the mock API. */
  static final class Nodes implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    static Nodes start(KubeWorld world, Path work, int count) throws Exception {
      Nodes nodes = new Nodes();
      try {
        Path kubeconfig = world.kubeconfig(Files.createTempDirectory(work, "operator"));
        int[] cluster = new int[count];
        for (int i = 0; i < count; i++) cluster[i] = freePort();
        for (int i = 0; i < count; i++) {
          List<String> members = new ArrayList<>();
          for (int j = 0; j < count; j++) if (j != i) members.add("127.0.0.1:" + cluster[j]);
          int port = freePort();
          List<String> cmd =
              java(
                  "operator",
                  "serve",
                  "--port",
                  Integer.toString(port),
                  "--http-port",
                  Integer.toString(freePort()),
                  "--cluster-port",
                  Integer.toString(cluster[i]),
                  "--agent-ttl",
                  Integer.toString(AGENT_TTL_S));
          if (!members.isEmpty()) cmd.addAll(List.of("--members", String.join(",", members)));
          Path log = Files.createTempFile(work, "operator-" + i, ".log");
          ProcessBuilder pb =
              new ProcessBuilder(cmd)
                  .redirectErrorStream(true)
                  .redirectOutput(log.toFile())
                  .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
          pb.environment().put("KUBECONFIG", kubeconfig.toString());
          nodes.processes.add(pb.start());
          nodes.logs.add(log);
          nodes.ports.add(port);
        }
        for (int i = 0; i < count; i++) nodes.awaitReady(i);
        return nodes;
      } catch (Exception | AssertionError e) {
        nodes.close();
        throw e;
      }
    }

    private void awaitReady(int i) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        if (log(i).contains("operator ready")) return;
        if (!processes.get(i).isAlive()) break;
        Thread.sleep(200); // polling the node's log for its ready line
      }
      throw new AssertionError("operator node " + i + " not ready:\n" + log(i));
    }

    int port(int i) {
      return ports.get(i);
    }

    String address(int i) {
      return "127.0.0.1:" + ports.get(i);
    }

    void killHard(int i) throws InterruptedException {
      processes.get(i).destroyForcibly();
      processes.get(i).waitFor(10, TimeUnit.SECONDS);
    }

    String log(int i) {
      try {
        return Files.readString(logs.get(i));
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }

    String logs() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < logs.size(); i++) {
        b.append("\n--- operator node ").append(i).append(":\n").append(log(i));
      }
      return b.toString();
    }

    @Override
    public void close() {
      for (Process p : processes) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      for (Process p : processes) {
        try {
          p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** One user's {@code run} through an operator. */
  static final class Run implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    Run(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    boolean alive() {
      return process.isAlive();
    }

    boolean endsWithin(long millis) throws InterruptedException {
      return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    int exitCode() {
      return process.exitValue();
    }

    /** SIGKILL of the run JVM alone: its program is orphaned, as after a crash. */
    void killHard() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }

    String out() {
      try {
        return Files.readString(out);
      } catch (IOException e) {
        return "";
      }
    }

    String output() {
      try {
        return "--- run stdout:\n" + out() + "--- run stderr:\n" + Files.readString(err);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }

    @Override
    public void close() {
      List<ProcessHandle> left = process.descendants().toList();
      process.destroyForcibly();
      left.forEach(ProcessHandle::destroyForcibly);
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A run; {@code operator} null: no MIRRORD_OPERATOR_ADDRESS (found through the API). */
  Run start(String operator, String user, String configBody, List<String> program)
      throws IOException {
    Path dir = Files.createTempDirectory(work, user);
    Path config = Files.writeString(dir.resolve("mirrord.json"), configBody);
    List<String> cmd = java("run", "-f", config.toString(), "--");
    cmd.addAll(program);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("MIRRORD_PROGRESS_MODE", "simple");
    pb.environment().remove("MIRRORD_OPERATOR_ADDRESS");
    if (operator != null) pb.environment().put("MIRRORD_OPERATOR_ADDRESS", operator);
    pb.environment().put("MIRRORD_OPERATOR_USER", user);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new Run(pb.start(), out, err);
  }

  /** A user whose local server steals the requests with {@code X-User: <user>} on {@code port}. */
  Run user(
      KubeWorld world,
      String operator,
      String user,
      String target,
      int port,
      int localPort,
      String extra)
      throws Exception {
    Path app = Files.writeString(Files.createTempFile(work, "app", ".py"), APP);
    String config =
        """
        {"operator": true, "kubeconfig": "%s",
         "target": {"path": "%s", "namespace": "%s"},
         "feature": {%s"network": {"incoming": {"mode": "steal",
           "http_filter": {"header_filter": "^x-user: %s$", "ports": [%d]},
           "listen_ports": [[%d, %d]]}}}}
        """
            .formatted(
                world.kubeconfig(work), target, world.ns, extra, user, port, port, localPort);
    return start(
        operator,
        user,
        config,
        // the app binds the pod's port; listen_ports moves it to a local port of its own, so that
        // two users' apps on this one machine do not collide
        List.of("/usr/bin/python3", app.toString(), Integer.toString(port), user));
  }

  /** A program run with {@code feature} options (e.g. copy_target) on {@code target}. */
  Run program(KubeWorld world, String operator, String target, String feature, String script)
      throws Exception {
    String config =
        """
        {"operator": true, "kubeconfig": "%s",
         "target": {"path": "%s", "namespace": "%s"},
         "feature": {%s}}
        """
            .formatted(world.kubeconfig(work), target, world.ns, feature);
    return start(operator, "carol", config, List.of("bash", "-c", script));
  }

  /** curl in the cluster's namespace; the body, "" on failure (polled by callers). */
  static String curl(KubeWorld world, String... args) {
    List<String> argv = new ArrayList<>(List.of("curl", "-s", "-m", "5"));
    argv.addAll(List.of(args));
    ExecResult r = world.cluster.exec(argv.toArray(String[]::new));
    return r.ok() ? r.stdout() : "";
  }

  /**
   * Polls for up to 240 s (a loaded machine starts JVMs slowly); fails with the run's and the
   * nodes' output if it never holds.
   */
  static void await(String what, Run run, Nodes nodes, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return;
      if (run != null && !run.alive()) break;
      Thread.sleep(200); // polling interval
    }
    throw new AssertionError(
        what + " never happened\n" + (run == null ? "" : run.output()) + nodes.logs());
  }

  /**
   * A port free now, below the kernel's ephemeral range: a port handed out for port 0 may be taken
   * as the source port of another connection before the node binds it.
   */
  static int freePort() throws IOException {
    int high = 32768;
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      high = Math.max(11_000, Integer.parseInt(range.split("\\s+")[0]));
    } catch (IOException | RuntimeException e) {
      // the usual default stands
    }
    var random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      try (ServerSocket s = new ServerSocket(random.nextInt(10_000, high))) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IOException("no free port below " + high);
  }
}
