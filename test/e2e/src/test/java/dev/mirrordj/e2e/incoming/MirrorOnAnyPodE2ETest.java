package dev.mirrordj.e2e.incoming;

import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.awaitTrue;
import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.freeHostPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.NamedNetns;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirror on a pod with neither a default route nor an {@code eth0} (its interface renamed): with
 * {@code agent.network_interface} unset the agent captures on every interface of the pod's
 * namespace and the local program still receives the pod's traffic; a named interface that does not
 * exist is a clear error instead.
 */
class MirrorOnAnyPodE2ETest {
  static final String POD_BODY = "hello from pod";

  @TempDir static Path work;
  static Cluster cluster;

  @BeforeAll
  static void start() {
    Root.requireRoot();
    cluster = Cluster.start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void podWithoutEth0OrDefaultRouteIsMirroredOnEveryInterface() throws Exception {
    int port = freeHostPort();
    Pod pod = cluster.addPod(PodSpec.named("anyif").httpServer(port, POD_BODY));
    renameEth0(pod, port, "net1");
    Path dir = Files.createTempDirectory(work, "any"), log = dir.resolve("requests.log");
    Path cfg = config(dir, pod, "");
    try (BackgroundRun run = BackgroundRun.start(dir, cfg, LocalApp.python(dir, port, log))) {
      String base = "http://" + pod.ip() + ":" + port;
      awaitTrue(
          run,
          "the local app sees a mirrored probe",
          () -> {
            curl(base + "/probe");
            return logged(log).contains("/probe");
          });
      for (int i = 0; i < 20; i++) {
        assertEquals(POD_BODY, curl(base + "/a-" + i).strip(), "the pod answers request " + i);
      }
      awaitTrue(
          run,
          "the local app saw all 20 mirrored requests",
          () -> {
            List<String> seen = logged(log);
            for (int i = 0; i < 20; i++) if (!seen.contains("/a-" + i)) return false;
            return true;
          });
      assertEquals(
          20,
          logged(log).stream().filter(p -> p.startsWith("/a-")).count(),
          "each mirrored request delivered once, not once per interface");
      assertTrue(curl(base + "/quit").startsWith(POD_BODY));
      awaitTrue(run, "the app closed its listener", () -> run.output().contains("listener closed"));
      Files.writeString(Path.of(log + ".release"), "");
      assertEquals(0, run.awaitExit(60), run.output());
    }
  }

  @Test
  void aNamedInterfaceThatDoesNotExistIsAClearError() throws Exception {
    int port = freeHostPort();
    Pod pod = cluster.addPod(PodSpec.named("noif").httpServer(port, POD_BODY));
    Path dir = Files.createTempDirectory(work, "noif"), log = dir.resolve("requests.log");
    Path cfg = config(dir, pod, ", \"agent\": {\"network_interface\": \"nosuch0\"}");
    try (BackgroundRun run = BackgroundRun.start(dir, cfg, LocalApp.python(dir, port, log))) {
      String clear = "agent.network_interface 'nosuch0' is not an interface of the target";
      awaitTrue(run, "run reports the missing interface", () -> run.output().contains(clear));
      // the pod is not disturbed and nothing reaches the local app; the user then stops run
      for (int i = 0; i < 3; i++) {
        assertEquals(POD_BODY, curl("http://" + pod.ip() + ":" + port + "/n-" + i).strip());
      }
      Files.writeString(Path.of(log + ".release"), "");
      run.terminate(60);
      assertTrue(run.output().contains(clear), run.output());
      assertTrue(run.output().contains("(it has: "), "names what the pod has: " + run.output());
      assertTrue(logged(log).isEmpty(), "nothing was mirrored: " + logged(log));
    }
  }

  /** Renames the pod's interface (addresses stay; the link must be down to be renamed). */
  private static void renameEth0(Pod pod, int port, String name) {
    NamedNetns ns = NamedNetns.existing(pod.netnsName());
    for (String[] args :
        new String[][] {
          {"link", "set", "eth0", "down"},
          {"link", "set", "eth0", "name", name},
          {"link", "set", name, "up"}
        }) {
      ExecResult r = ns.ip(args);
      assertTrue(r.ok(), "ip " + String.join(" ", args) + ": " + r.stderr());
    }
    ExecResult links = ns.ip("-o", "link");
    assertTrue(!links.stdout().contains("eth0"), "no eth0 left: " + links.stdout());
    ExecResult routes = ns.ip("route", "show", "default");
    assertTrue(routes.stdout().isBlank(), "no default route: " + routes.stdout());
    // the pod still answers the cluster on its address after the rename
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!curl("http://" + pod.ip() + ":" + port + "/up").contains(POD_BODY)) {
      assertTrue(System.nanoTime() < deadline, "the pod answers again after the rename");
      sleepPollInterval();
    }
  }

  private static void sleepPollInterval() {
    try {
      Thread.sleep(100); // polling interval, not a wait standing in for the condition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Path config(Path dir, Pod pod, String extra) throws IOException {
    Path cfg = dir.resolve("mirrord.json");
    Files.writeString(
        cfg,
        "{\"target\": \"pid/"
            + pod.pid()
            + "\", \"feature\": {\"network\": {\"incoming\": \"mirror\"}}"
            + extra
            + "}");
    return cfg;
  }

  /** curl in the cluster namespace; the bodies of all URLs, "" on failure (polled by callers). */
  static String curl(String... args) {
    List<String> argv = new ArrayList<>(List.of("curl", "-s", "-m", "5"));
    argv.addAll(List.of(args));
    ExecResult r = cluster.exec(argv.toArray(String[]::new));
    return r.ok() ? r.stdout() : "";
  }

  static List<String> logged(Path log) {
    return IncomingRunE2ETest.logged(log);
  }
}
