package dev.mirrordj.agent.incoming.redirect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redirect chains in a throw-away namespace: install, remove, leftovers, guard cleanup after
 * SIGKILL.
 */
class RedirectRulesTest {

  private final String ns = "mdjr" + UUID.randomUUID().toString().substring(0, 8);
  private final Path nsPath = Path.of("/run/netns", ns);
  private CommandRunner runner;
  private Process worker;

  @BeforeEach
  void setUp() throws Exception {
    if (!dev.mirrordj.sys.Privileges.effectiveRoot() && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort("skipped: needs root for network namespaces and iptables (runs in CI)");
    }
    run("ip", "netns", "add", ns);
    run("ip", "-n", ns, "link", "set", "lo", "up");
    runner = new CommandRunner(nsPath);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (worker != null) {
      worker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    if (Files.exists(nsPath)) {
      run("ip", "netns", "del", ns);
    }
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + ": " + out);
    }
  }

  private String natRules(FirewallBackend backend, boolean v6) {
    return runner.run(backend.saveCommand(v6), "-t", "nat").output();
  }

  @Test
  void bothBackendsInstallBothFamiliesRemovePortRulesAndEverythingOnClose() {
    for (FirewallBackend backend : FirewallBackend.values()) {
      RedirectRules rules = new RedirectRules(runner, backend, 40001, 40002, 4242);
      rules.addPort(80);
      rules.addPort(8080);
      for (boolean v6 : new boolean[] {false, true}) {
        String nat = natRules(backend, v6);
        assertTrue(nat.contains("-A PREROUTING -j MIRRORDJ_PREROUTING"), nat);
        assertTrue(nat.contains("-A OUTPUT -j MIRRORDJ_OUTPUT"), nat);
        assertTrue(nat.contains("--gid-owner 4242 -j RETURN"), nat);
        assertTrue(
            nat.contains("--dport 8080 -j REDIRECT --to-ports " + (v6 ? 40002 : 40001)), nat);
      }
      rules.removePort(80);
      assertTrue(natRules(backend, false).contains("--dport 8080"));
      rules.removePort(8080);
      for (boolean v6 : new boolean[] {false, true}) {
        String nat = natRules(backend, v6);
        assertTrue(
            !nat.contains("--dport 80 ") && !nat.contains("--dport 8080 "),
            backend + " v6=" + v6 + " still redirects: " + nat);
      }
      rules.close();
      for (boolean v6 : new boolean[] {false, true}) {
        String nat = natRules(backend, v6);
        assertTrue(!nat.contains("MIRRORDJ"), backend + " v6=" + v6 + " still has: " + nat);
      }
    }
    assertEquals(List.of(), LeftoverRules.find(runner));
  }

  @Test
  void detectionPicksTheBackendThatAlreadyHasThePodsRules() throws Exception {
    assertEquals(FirewallBackend.NFT, FirewallBackend.choose(null, runner));
    runner.runChecked(
        "iptables-legacy",
        "-t",
        "nat",
        "-A",
        "OUTPUT",
        "-p",
        "tcp",
        "--dport",
        "15001",
        "-j",
        "RETURN");
    assertEquals(FirewallBackend.LEGACY, FirewallBackend.choose(null, runner));
    assertEquals(FirewallBackend.NFT, FirewallBackend.choose(true, runner));
    assertEquals(FirewallBackend.LEGACY, FirewallBackend.choose(false, runner));
  }

  @Test
  void leftoversRefuseStartNamingTheChainsUnlessToldToCleanFirst() {
    new RedirectRules(runner, FirewallBackend.LEGACY, 40001, 40002, 0)
        .addPort(80); // "crashed" agent: never closed
    LeftoverRules.LeftoverRulesException e =
        assertThrows(
            LeftoverRules.LeftoverRulesException.class,
            () -> LeftoverRules.checkOnStart(runner, false));
    assertTrue(e.getMessage().contains("iptables-legacy nat MIRRORDJ_PREROUTING"), e.getMessage());
    assertTrue(e.getMessage().contains("ip6tables-legacy nat MIRRORDJ_PREROUTING"), e.getMessage());
    assertTrue(e.getMessage().contains("--clean-leftover-rules"), e.getMessage());
    LeftoverRules.checkOnStart(runner, true);
    assertEquals(List.of(), LeftoverRules.find(runner));
    assertTrue(!natRules(FirewallBackend.LEGACY, false).contains("MIRRORDJ"));
  }

  /** From inside the namespace: the HTTP answer's first line, or the error. */
  private String httpGet(int port) throws Exception {
    Process p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                ns,
                "python3",
                "-c",
                "import urllib.request, sys\ntry:\n    print(urllib.request.urlopen('http://127.0.0.1:"
                    + port
                    + "/', timeout=3).status)\nexcept Exception as e:\n    print(type(e).__name__)")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  @Test
  void guardRemovesTheRulesOfASigkilledWorkerWithinASecondAndThePodAnswersAgain() throws Exception {
    Process app =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                ns,
                "python3",
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "8080")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!httpGet(8080).equals("200")) {
        assertTrue(System.nanoTime() < deadline, "the pod's app never answered");
        Thread.sleep(100);
      }
      guardRemovesRulesOfSigkilledWorker();
      assertEquals("200", httpGet(8080), "the pod's app answers again once our rules are gone");
    } finally {
      app.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  private void guardRemovesRulesOfSigkilledWorker() throws Exception {
    // a worker that redirects the app's port to a listener that dies with it (OUTPUT chain, so
    // connections made inside the namespace are redirected too)
    worker =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RulesHolderMain.class.getName(),
                nsPath.toString(),
                "8080",
                "40001")
            .redirectErrorStream(true)
            .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream()));
    String line;
    while ((line = out.readLine()) != null && !line.equals("ready")) {
      // skip log lines until the worker says its rules are in
    }
    assertEquals("ready", line);
    assertTrue(natRules(FirewallBackend.NFT, false).contains("MIRRORDJ_PREROUTING"));
    assertTrue(
        !httpGet(8080).equals("200"),
        "while redirected to the (dead) listener the app is unreachable");
    worker.toHandle().destroyForcibly(); // SIGKILL: the worker cannot clean up itself
    worker.onExit().get(10, TimeUnit.SECONDS);
    // what the guard does when waitpid returns
    List<String> removed = WorkerExitCleanup.afterWorkerExit(nsPath);
    assertTrue(removed.contains("iptables-nft nat MIRRORDJ_PREROUTING"), removed.toString());
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (!LeftoverRules.find(runner).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "rules still present 1 s after the worker died");
      Thread.sleep(20);
    }
  }
}
