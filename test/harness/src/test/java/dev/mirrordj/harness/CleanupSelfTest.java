package dev.mirrordj.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * After close() nothing of a run is left, a failed pod start leaves nothing, and crashed runs are
 * swept.
 */
class CleanupSelfTest {

  @BeforeAll
  static void root() {
    Root.requireRoot();
  }

  @Test
  void closeLeavesNoNamespaceLinkProcessOrDirectory() throws Exception {
    String hostLinksBefore = hostLinkNames();
    Cluster cluster = Cluster.start(7);
    Pod pod = cluster.addPod(PodSpec.named("gone").httpServer(80, "x"));
    Process extra =
        pod.start(List.of("sleep", "1000"), cluster.stage().resolve("extra.log").toFile());
    Process clientSide =
        cluster.start(List.of("sleep", "1000"), cluster.stage().resolve("client.log").toFile());
    List<Long> clusterPids = cluster.netns().pids();
    assertTrue(
        clusterPids.size() >= 3,
        "services, dnsmasq and the client run in the cluster netns: " + clusterPids);
    String runId = cluster.runId();
    Path stage = cluster.stage();
    assertEquals(hostLinksBefore, hostLinkNames(), "veths live only inside the harness namespaces");

    cluster.close();

    assertTrue(
        NamedNetns.listAll().stream().noneMatch(n -> n.startsWith(runId + "-")),
        NamedNetns.listAll().toString());
    assertFalse(pod.isAlive());
    Poll.until(
        "processes started in the pod and the cluster to die",
        Duration.ofSeconds(5),
        () -> !extra.isAlive() && !clientSide.isAlive());
    for (long pid : clusterPids) {
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "cluster process " + pid + " still alive");
    }
    assertFalse(Files.exists(stage), "staging directory " + stage + " must be deleted");
    assertEquals(hostLinksBefore, hostLinkNames());
    cluster.close(); // idempotent
  }

  @Test
  void aPodWhoseCommandFailsIsReportedAndLeavesNothing() {
    try (Cluster cluster = Cluster.start(8)) {
      HarnessException e =
          assertThrows(
              HarnessException.class,
              () ->
                  cluster.addPod(
                      PodSpec.named("broken")
                          .command("/bin/sh", "-c", "echo boom; exit 3")
                          .readyWhenListening(80)));
      assertTrue(e.getMessage().contains("boom"), e.getMessage());
      assertTrue(
          NamedNetns.listAll().stream().noneMatch(n -> n.equals(cluster.runId() + "-p-broken")));
      assertTrue(cluster.addPod(PodSpec.named("fine")).isAlive(), "the cluster keeps working");
    }
  }

  @Test
  void leftoversOfADeadOwnerAreSweptAndALiveOwnersAreNot() throws Exception {
    long deadPid = deadPid();
    String orphanNs = "mdj-" + deadPid + "-1-cl";
    String liveNs = "mdj-" + ProcessHandle.current().pid() + "-999-cl";
    Path orphanDir =
        Files.createDirectories(
            Path.of(System.getProperty("java.io.tmpdir"), "mdj-" + deadPid + "-1"));
    NamedNetns orphan = NamedNetns.create(orphanNs);
    NamedNetns live = NamedNetns.create(liveNs);
    Process inOrphan =
        new ProcessBuilder("ip", "netns", "exec", orphanNs, "sleep", "1000")
            .redirectOutput(new File("/dev/null"))
            .start();
    try {
      Poll.until(
          "sleep to join the orphan netns",
          Duration.ofSeconds(5),
          () -> orphan.pids().contains(inOrphan.pid()));

      Sweeper.sweepOrphans();

      assertFalse(NamedNetns.listAll().contains(orphanNs), "orphan netns swept");
      assertFalse(Files.exists(orphanDir), "orphan staging directory swept");
      assertTrue(
          inOrphan.waitFor(5, java.util.concurrent.TimeUnit.SECONDS),
          "process inside the orphan netns killed");
      assertTrue(NamedNetns.listAll().contains(liveNs), "a live owner's namespace is untouched");
    } finally {
      inOrphan.destroyForcibly();
      live.destroy();
      orphan.destroy();
      Sweeper.deleteTree(orphanDir);
    }
  }

  @Test
  void twoClustersOnTheSameSubnetRunSideBySideAndCloseIndependently() {
    try (Cluster a = Cluster.start(9);
        Cluster b = Cluster.start(9)) {
      Pod pa = a.addPod(PodSpec.named("same").httpServer(80, "from a\n"));
      Pod pb = b.addPod(PodSpec.named("same").httpServer(80, "from b\n"));
      assertEquals(pa.ip(), pb.ip(), "same addresses, separate namespaces");
      assertEquals(
          "from a\n",
          a.exec("curl", "-sS", "--max-time", "10", "http://" + pa.ip() + "/")
              .requireOk()
              .stdout());
      assertEquals(
          "from b\n",
          b.exec("curl", "-sS", "--max-time", "10", "http://" + pb.ip() + "/")
              .requireOk()
              .stdout());
      a.close();
      assertEquals(
          "from b\n",
          b.exec("curl", "-sS", "--max-time", "10", "http://" + pb.ip() + "/").requireOk().stdout(),
          "closing one run leaves the other working");
      assertTrue(
          Commands.check("ip", "route", "show", "type", "unreachable")
              .stdout()
              .contains(Cluster.TEST_RANGE),
          "the shared host route stays while a run uses it");
    }
  }

  /** A PID that belonged to a process which has exited (so it is not ours and not alive). */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    assertFalse(Files.exists(Path.of("/proc", Long.toString(p.pid()))));
    return p.pid();
  }

  private static String hostLinkNames() {
    return Commands.check("ip", "-o", "link", "show")
        .stdout()
        .lines()
        .map(l -> l.split(":")[1].strip())
        .sorted()
        .reduce("", (a, b) -> a + b + " ");
  }
}
