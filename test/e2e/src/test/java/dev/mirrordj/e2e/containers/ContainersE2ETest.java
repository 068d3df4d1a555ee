package dev.mirrordj.e2e.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.runtime.ContainerInfo;
import dev.mirrordj.agent.runtime.ContainerNotFoundException;
import dev.mirrordj.agent.runtime.ContainerRuntimeResolver;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Poll;
import dev.mirrordj.harness.Root;
import dev.mirrordj.protocol.ContainerRuntime;
import dev.mirrordj.verticles.kube.AgentCommandLine;
import dev.mirrordj.verticles.kube.AgentPodSpecs;
import dev.mirrordj.verticles.kube.AgentSettings;
import dev.mirrordj.verticles.kube.ResolvedTarget;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent and its container-runtime lookup against real container runtimes on this machine: a
 * containerd daemon and podman's Docker API service started for the test, on a stand-in node
 * directory whose {@code run/} holds their sockets. One class so the daemons and images are set up
 * once; the images are cached by content between runs.
 */
class ContainersE2ETest {
  /**
   * How long the agent container may take to exit once its last client left: as long as it may take
   * to start. Under the Job's 100m CPU limit the JVM loads its shutdown classes in 10-20 s slices
   * of a blocked event loop (seen in a full run here: the exit took over a minute at load 1).
   */
  private static final Duration AGENT_EXIT_BUDGET = Duration.ofMinutes(3);

  static final Duration LOOKUP = Duration.ofSeconds(20);
  static final int CLUSTER_SUBNET = 12;

  /** The agent's port inside its own pod network namespace. */
  static final int AGENT_PORT = 61_000;

  static final AtomicInteger TARGETS = new AtomicInteger();

  static Node node;
  static ContainerdDaemon containerd;
  static PodmanDockerService dockerApi;
  static PodmanContainers podman;
  static String targetImage;
  static TestImages.AgentImage agentImage;
  static Cluster cluster;

  @BeforeAll
  static void startRuntimes() throws Exception {
    Root.requireRoot();
    for (String tool : List.of("podman", "containerd", "ctr", "runc", "mmdebstrap", "socat")) {
      if (!Node.run("sh", "-c", "command -v " + tool).ok()) {
        throw new AssertionError(tool + " is missing: run scripts/install-deps.sh");
      }
    }
    PodmanContainers.sweepLeftovers();
    node = Node.create();
    containerd = ContainerdDaemon.start(node);
    dockerApi = PodmanDockerService.start(node);
    podman = new PodmanContainers();
    targetImage = TestImages.target(containerd);
    // `ctr run` without a namespace uses containerd's "default" one: the image must be there too
    TestImages.copyToNamespace(containerd, targetImage, "default");
    agentImage = TestImages.agent(containerd);
    System.out.println(
        "[containers] agent image " + agentImage.contentTag() + ", " + agentImage.sizeLine());
    cluster = Cluster.start(CLUSTER_SUBNET);
  }

  @AfterAll
  static void stopRuntimes() {
    if (cluster != null) cluster.close();
    if (podman != null) podman.close();
    if (dockerApi != null) dockerApi.close();
    if (containerd != null) containerd.close();
    if (node != null) node.close();
  }

  // ---- the image ----

  @Test
  void agentImageHoldsWhatTheDockerfileDeclares() throws Exception {
    String version =
        AgentSettings.DEFAULT_IMAGE.substring(AgentSettings.DEFAULT_IMAGE.lastIndexOf(':') + 1);
    assertEquals(
        "localhost/mirrordj-agent:" + version, agentImage.reference(), agentImage.output());
    assertTrue(
        agentImage.contentTag().startsWith(agentImage.reference() + "-"), agentImage.contentTag());
    long mib = Long.parseLong(agentImage.sizeLine().split(" ")[0]);
    assertTrue(mib > 50 && mib < 1024, "image size " + agentImage.sizeLine());

    DockerfileContents dockerfile =
        DockerfileContents.read(TestImages.REPO.resolve("conf/agent-image/Dockerfile"));
    StringBuilder script = new StringBuilder("set -e\n");
    script.append("dpkg-query -W -f '${Package} ${db:Status-Abbrev}\\n' ");
    script.append(String.join(" ", dockerfile.packages())).append("\n");
    for (DockerfileContents.Copy copy : dockerfile.copies()) {
      script
          .append("echo \"file $(stat -c %a ")
          .append(copy.destination())
          .append(") $(sha256sum < ");
      script
          .append(copy.destination())
          .append(" | cut -d' ' -f1) ")
          .append(copy.destination())
          .append("\"\n");
    }
    script
        .append("test -s ")
        .append(dockerfile.cdsArchive())
        .append(" && echo cds-archive-present\n");
    for (String tool :
        List.of("java", "iptables-legacy", "iptables-nft", "nft", "conntrack", "ip")) {
      script
          .append("command -v ")
          .append(tool)
          .append(" >/dev/null && echo tool ")
          .append(tool)
          .append("\n");
    }
    script.append("ls /usr/lib/x86_64-linux-gnu/libpcap.so.0.8 >/dev/null && echo libpcap\n");
    script.append("java -version 2>&1 | head -1\n");
    List<String> argv = new ArrayList<>(List.of("podman", "run", "--rm", "--network", "none"));
    argv.addAll(PodmanContainers.ULIMIT);
    argv.addAll(
        List.of("--entrypoint", "/bin/sh", agentImage.contentTag(), "-c", script.toString()));
    ExecResult inside = Node.check(Duration.ofMinutes(2), argv.toArray(String[]::new));
    String out = inside.stdout();
    for (String pkg : dockerfile.packages()) {
      assertTrue(
          out.contains(pkg + " ii \n") || out.contains(pkg + " ii\n"), pkg + " installed:\n" + out);
    }
    for (DockerfileContents.Copy copy : dockerfile.copies()) {
      Path source = TestImages.REPO.resolve(copy.source());
      String mode = copy.destination().contains("/bin/") ? "755" : "644";
      if (copy.destination().endsWith(".jar")) {
        // the image cache is keyed by the jar's entries, so compare those (a rebuilt jar of the
        // same classes differs only in zip timestamps)
        assertTrue(out.contains("file " + mode + " "), out);
        assertEquals(jarEntries(source), jarEntries(copyOut(copy.destination())), copy.source());
        continue;
      }
      String sha = sha256(source);
      assertTrue(
          out.contains("file " + mode + " " + sha + " " + copy.destination() + "\n"),
          copy.source()
              + " -> "
              + copy.destination()
              + " (mode "
              + mode
              + ", sha256 "
              + sha
              + "):\n"
              + out);
    }
    assertTrue(out.contains("cds-archive-present"), out);
    for (String tool :
        List.of("java", "iptables-legacy", "iptables-nft", "nft", "conntrack", "ip")) {
      assertTrue(out.contains("tool " + tool + "\n"), tool + ":\n" + out);
    }
    assertTrue(out.contains("libpcap"), out);
    assertTrue(out.contains("version \"17."), out);

    String entrypoint =
        Node.check(
                "podman",
                "image",
                "inspect",
                "--format",
                "{{json .Config.Entrypoint}}",
                agentImage.contentTag())
            .stdout()
            .trim();
    assertEquals(dockerfile.entrypointJson().replace(" ", ""), entrypoint.replace(" ", ""));
    assertEquals("[\"" + AgentCommandLine.ENTRYPOINT + "\"]", entrypoint);
    List<String> inContainerd =
        containerd.ctr("k8s.io", "images", "ls", "-q").stdout().lines().toList();
    assertTrue(inContainerd.contains(agentImage.contentTag()), inContainerd.toString());
    assertTrue(inContainerd.contains(agentImage.reference()), inContainerd.toString());
  }

  /** Copies a file out of the agent image into the node directory. */
  static Path copyOut(String pathInImage) throws Exception {
    Path dir = Files.createDirectories(node.root.resolve("from-image"));
    List<String> argv = new ArrayList<>(List.of("podman", "run", "--rm", "--network", "none"));
    argv.addAll(PodmanContainers.ULIMIT);
    argv.addAll(
        List.of(
            "-v",
            dir + ":/out",
            "--entrypoint",
            "/bin/cp",
            agentImage.contentTag(),
            pathInImage,
            "/out/"));
    Node.check(Duration.ofMinutes(2), argv.toArray(String[]::new));
    return dir.resolve(Path.of(pathInImage).getFileName());
  }

  /** Name, CRC and size of every entry, in name order. */
  static List<String> jarEntries(Path jar) throws Exception {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream()
          .map(e -> e.getName() + " " + Long.toHexString(e.getCrc()) + " " + e.getSize())
          .sorted()
          .toList();
    }
  }

  static String sha256(Path file) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    return HexFormat.of().formatHex(digest);
  }

  // ---- container ID -> PID through the real runtimes ----

  @Test
  void containerdFindsRunningContainersInK8sIoAndInCtrsOwnNamespace() {
    String k8s = uniqueId("k8s");
    String plain = uniqueId("ctr");
    containerd.run(
        "k8s.io", k8s, List.of("--env", "POD_ROLE=cri"), targetImage, "sleep", "infinity");
    containerd.run(
        "default", plain, List.of("--env", "POD_ROLE=plain"), targetImage, "sleep", "infinity");
    try {
      ContainerInfo viaCri = resolveStatusId("containerd://" + k8s);
      assertEquals(containerd.taskPid("k8s.io", k8s), viaCri.pid());
      assertTrue(viaCri.env().contains("POD_ROLE=cri"), viaCri.env().toString());
      ContainerInfo viaCtr = resolveStatusId("containerd://" + plain);
      assertEquals(containerd.taskPid("default", plain), viaCtr.pid());
      assertTrue(viaCtr.env().contains("POD_ROLE=plain"), viaCtr.env().toString());
      assertTrue(
          ProcessHandle.of(viaCri.pid())
              .orElseThrow()
              .info()
              .commandLine()
              .orElse("")
              .contains("sleep"),
          "the PID is the container's main process on this host");
    } finally {
      containerd.remove("k8s.io", k8s);
      containerd.remove("default", plain);
    }
  }

  @Test
  void containerdStoppedAndMissingContainersAreNotFound() {
    String stopped = uniqueId("stopped");
    containerd.run("k8s.io", stopped, List.of(), targetImage, "true");
    try {
      Poll.until(
          "the task of " + stopped + " stops",
          Duration.ofSeconds(30),
          () -> containerd.taskStatus("k8s.io", stopped).equals("STOPPED"));
      Throwable err = lookupFailure("containerd://" + stopped);
      assertInstanceOf(ContainerNotFoundException.class, err);
      assertTrue(err.getMessage().contains("stopped"), err.getMessage());
      Throwable missing = lookupFailure("containerd://" + uniqueId("missing"));
      assertInstanceOf(ContainerNotFoundException.class, missing);
      assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    } finally {
      containerd.remove("k8s.io", stopped);
    }
  }

  @Test
  void dockerApiFindsARunningContainerAndRejectsStoppedNeverStartedAndMissingOnes() {
    String running = uniqueId("dk-run");
    String exited = uniqueId("dk-exit");
    String created = uniqueId("dk-new");
    String runningId =
        podman.runDetached(
            running,
            List.of("--network", "none", "-e", "POD_ROLE=docker"),
            targetImage,
            "sleep",
            "infinity");
    String exitedId = podman.runDetached(exited, List.of("--network", "none"), targetImage, "true");
    String createdId = podman.create(created, targetImage, "sleep", "infinity");
    try {
      ContainerInfo info = resolveStatusId("docker://" + runningId);
      assertEquals(PodmanContainers.pid(running), info.pid());
      assertTrue(info.env().contains("POD_ROLE=docker"), info.env().toString());
      Poll.until(
          exited + " exits", Duration.ofSeconds(30), () -> PodmanContainers.pid(exited) == 0);
      for (String id : List.of(exitedId, createdId)) {
        Throwable err = lookupFailure("docker://" + id);
        assertInstanceOf(ContainerNotFoundException.class, err, id);
        assertTrue(err.getMessage().contains("not running"), err.getMessage());
      }
      Throwable missing = lookupFailure("docker://" + "0".repeat(64));
      assertInstanceOf(ContainerNotFoundException.class, missing);
    } finally {
      podman.remove(running);
      podman.remove(exited);
      podman.remove(created);
    }
  }

  // ---- the agent image run as its Job says, serving a container target ----

  @Test
  void agentJobContainerServesAPodmanContainerFoundThroughTheDockerApi() throws Exception {
    podmanTargetSession(false, false);
  }

  /**
   * Steal with a header filter through the agent container: matching requests reach the local
   * program, every other one the container's own server, and the steal is gone when run ends.
   */
  @Test
  void agentJobContainerStealsWithAHeaderFilterForAPodmanContainer() throws Exception {
    podmanTargetSession(true, false);
  }

  /**
   * Outgoing TCP through the agent container: the program's connection to the cluster echo service
   * (port 7) is made by the agent inside the target container's network namespace, and the echo
   * comes back, on top of everything the steal test checks.
   */
  @Test
  void agentJobContainerConnectsOutForAPodmanContainer() throws Exception {
    podmanTargetSession(true, true);
  }

  private void podmanTargetSession(boolean traffic, boolean echo) throws Exception {
    int port = freePort();
    String name = uniqueId("web-podman");
    Path app = targetFiles("docker", port);
    String body = "hello from the podman container";
    String id =
        podman.runDetached(
            name,
            List.of(
                "--network", "none",
                "--hostname", "web-podman",
                "-e", "APP_MODE=container-podman",
                "-v", app + ":/app:ro",
                "-v", app.resolve("resolv.conf") + ":/etc/resolv.conf:ro"),
            targetImage,
            "python3",
            "/app/server.py",
            Integer.toString(port),
            body);
    try {
      serveThroughAgentJob(
          "docker://" + id,
          PodmanContainers.pid(name),
          port,
          body,
          "container-podman",
          traffic,
          echo);
    } finally {
      podman.remove(name);
    }
  }

  @Test
  void agentJobContainerServesAContainerdContainerInK8sIo() throws Exception {
    int port = freePort();
    String id = uniqueId("web-containerd");
    Path app = targetFiles("containerd", port);
    String body = "hello from the containerd container";
    containerd.run(
        "k8s.io",
        id,
        List.of(
            "--env", "APP_MODE=container-containerd",
            "--mount", "type=bind,src=" + app + ",dst=/app,options=rbind:ro",
            "--mount",
                "type=bind,src="
                    + app.resolve("resolv.conf")
                    + ",dst=/etc/resolv.conf,options=rbind:ro"),
        targetImage,
        "python3",
        "/app/server.py",
        Integer.toString(port),
        body);
    try {
      serveThroughAgentJob(
          "containerd://" + id,
          containerd.taskPid("k8s.io", id),
          port,
          body,
          "container-containerd",
          false,
          false);
    } finally {
      containerd.remove("k8s.io", id);
    }
  }

  /**
   * The target container joins the cluster network; the agent Job the CLI would create for it runs
   * as a podman container; one {@code mirrord run} through a port-forward reads the target's
   * environment, a file and a cluster name through it. With {@code traffic} it also connects out to
   * the cluster echo service and steals the requests that carry {@code X-User: alice} while every
   * other request still reaches the container's own server, and when run ends the steal is gone.
   * Either way the agent container exits 0 by itself once its client has gone.
   */
  private void serveThroughAgentJob(
      String statusId,
      long targetPid,
      int port,
      String body,
      String appMode,
      boolean traffic,
      boolean echo)
      throws Exception {
    String ip = ClusterAttachment.attach(cluster, targetPid, TARGETS.incrementAndGet());
    String base = "http://" + ip + ":" + port;
    Poll.until(
        "the target container's own server answers on " + base,
        Duration.ofSeconds(60),
        () -> curl(base + "/ready").equals(body + "\n"));

    String[] parts = statusId.split("://", 2);
    Job job = agentJob(parts[1], ContainerRuntime.fromName(parts[0]));
    assertEquals(agentImage.contentTag(), JobOnPodman.image(job));
    String agentName = uniqueId("agent");
    Path dir = node.root.resolve("session-" + parts[0]);
    try (AgentContainer agent =
            AgentContainer.start(
                podman,
                agentName,
                JobOnPodman.runArguments(job, node, agentImage.contentTag()),
                Duration.ofMinutes(3));
        PortForward forward = PortForward.to(agent.pid(), AGENT_PORT);
        ContainerSession run =
            ContainerSession.start(dir, forward.localPort(), port, "^x-user: alice$")) {
      Poll.until(
          "the local program listens under mirrord run",
          Duration.ofMinutes(2),
          () -> run.stdout().contains("listening") || !run.alive());
      String out = run.stdout();
      String context = run.output() + agent.log();
      assertTrue(out.contains("listening"), context);
      assertTrue(out.contains("ENV " + appMode + "\n"), context);
      assertTrue(out.contains("FILE " + CONFIG.formatted(parts[0]) + "\n"), context);
      assertTrue(out.contains("DNS " + cluster.echoIp() + "\n"), context);
      // checked after the steal so that one failure does not hide the other's result
      boolean echoed = out.contains("ECHO ping through the container\n");
      if (!traffic) {
        run.close();
        assertEquals(
            0,
            agent.awaitExit(AGENT_EXIT_BUDGET),
            "the agent leaves when its last client has gone\n" + agent.log());
        return;
      }

      Poll.until(
          "requests with X-User: alice reach the local program",
          Duration.ofSeconds(60),
          () -> curl("-H", "X-User: alice", base + "/probe").startsWith("local "));
      for (int i = 0; i < 5; i++) {
        assertEquals("local /a-" + i + "\n", curl("-H", "X-User: alice", base + "/a-" + i));
        assertEquals(body + "\n", curl("-H", "X-User: bob", base + "/b-" + i), "other user " + i);
        assertEquals(body + "\n", curl(base + "/n-" + i), "no header " + i);
      }
      List<String> seen = run.requestsSeen();
      assertTrue(
          seen.stream().noneMatch(p -> p.startsWith("/b-") || p.startsWith("/n-")),
          "unmatched requests never reach the local program: " + seen);
      assertEquals("local /quit\n", curl("-H", "X-User: alice", base + "/quit"));
      assertEquals(0, run.awaitExit(60), run.output());
      Poll.until(
          "after run ends, alice's requests reach the container again",
          Duration.ofSeconds(30),
          () -> curl("-H", "X-User: alice", base + "/after").equals(body + "\n"));
      assertEquals(0, agent.awaitExit(AGENT_EXIT_BUDGET), agent.log());
      if (echo) {
        assertTrue(
            echoed, "outgoing TCP from the target container echoes the program's line\n" + context);
      }
    }
  }

  static final String CONFIG = "{\"runtime\": \"%s\", \"replicas\": 2}";

  static final String TARGET_SERVER =
      String.join(
          "\n",
          "import http.server, sys",
          "port, body = int(sys.argv[1]), (sys.argv[2] + '\\n').encode()",
          "class H(http.server.BaseHTTPRequestHandler):",
          "    protocol_version = 'HTTP/1.1'",
          "    def do_GET(self):",
          "        self.send_response(200)",
          "        self.send_header('Content-Length', str(len(body)))",
          "        self.end_headers()",
          "        self.wfile.write(body)",
          "    def log_message(self, *a):",
          "        pass",
          "srv = http.server.ThreadingHTTPServer(('0.0.0.0', port), H)",
          "srv.daemon_threads = True",
          "srv.serve_forever()",
          "");

  /** The target's /app (config file, server) and resolv.conf, mounted into it read-only. */
  static Path targetFiles(String runtime, int port) throws Exception {
    Path app = node.root.resolve("app-" + runtime + "-" + port);
    Files.createDirectories(app);
    Files.writeString(app.resolve("config.json"), CONFIG.formatted(runtime) + "\n");
    Files.writeString(app.resolve("server.py"), TARGET_SERVER);
    ClusterAttachment.resolvConf(cluster, app);
    return app;
  }

  /** The Job the CLI creates for a target container, with the image built here. */
  static Job agentJob(String containerId, ContainerRuntime runtime) {
    AgentSettings settings =
        AgentSettings.withDefaults().toBuilder().image(agentImage.contentTag()).build();
    ResolvedTarget target =
        new ResolvedTarget(
            "default",
            "web",
            "node-1",
            new ContainerBuilder().withName("app").build(),
            containerId,
            runtime,
            new PodBuilder().withNewMetadata().withName("web").endMetadata().build());
    return AgentPodSpecs.job(settings, "mirrordj-agent-test", "default", AGENT_PORT, target, 3_000);
  }

  static String curl(String... args) {
    // generous: the agent runs under the Job's CPU limit (100m), a tenth of one core
    List<String> argv = new ArrayList<>(List.of("curl", "-s", "-m", "25"));
    argv.addAll(List.of(args));
    ExecResult r = cluster.exec(argv.toArray(String[]::new));
    return r.ok() ? r.stdout() : "";
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  // ---- helpers ----

  /**
   * A {@code containerStatuses[].containerID} as the kubelet reports it: the scheme names the
   * runtime exactly as the agent's {@code --container-runtime} takes it.
   */
  static ContainerInfo resolveStatusId(String statusId) {
    String[] parts = statusId.split("://", 2);
    return ContainerRuntimeResolver.resolveBlocking(
        ContainerRuntime.fromName(parts[0]), parts[1], node.root, LOOKUP);
  }

  static Throwable lookupFailure(String statusId) {
    return assertThrows(RuntimeException.class, () -> resolveStatusId(statusId), statusId);
  }

  static String uniqueId(String what) {
    return "mdj-" + ProcessHandle.current().pid() + "-" + what + "-" + System.nanoTime() % 100000;
  }
}
