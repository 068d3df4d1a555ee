package dev.mirrordj.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Poll;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around whole {@code bin/mirrord run} sessions with target {@code pid/<pod pid>} (run
 * starts its own local agent), python3 as the user's program. Reference faults F5 (agent lost while
 * the program runs: loud, errnos, and the next session works at once) and F13 (rapid restart,
 * bounded to 20 back-to-back sessions: all start, nothing is left behind).
 */
class RunFaultsE2ETest {
  static final Duration SESSION = Duration.ofSeconds(120);
  @TempDir static Path work;
  static Cluster cluster;
  static Pod pod;
  static Path config;

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    FatJar.require();
    cluster = Cluster.start();
    pod =
        cluster.addPod(
            PodSpec.named("app").hostname("faults-pod").file("/app/data.txt", "pod data\n"));
    config = work.resolve("mirrord.json");
    Files.writeString(
        config,
        "{\"target\": \"pid/" + pod.pid() + "\", \"experimental\": {\"tcp_ping4_mock\": false}}");
  }

  @AfterAll
  static void stop() {
    if (pod != null) {
      MirrordSession.agentsFor(pod.pid()).forEach(ProcessHandle::destroyForcibly);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void agentKilledMidRunIsLoudRemoteOperationsFailWithAnErrnoAndTheNextSessionWorks() {
    String echo = Cluster.ECHO_NAME;
    try (MirrordSession run =
        MirrordSession.start(
            work,
            config,
            "/usr/bin/python3",
            "-c",
            String.join(
                "\n",
                "import errno, socket, time",
                "def code(e): return errno.errorcode.get(e.errno, str(e.errno)) if isinstance(e.errno, int) else type(e).__name__",
                "print('file=' + open('/app/data.txt').read().strip(), flush=True)",
                "ip = socket.gethostbyname('" + echo + "')",
                "s = socket.create_connection((ip, 7), timeout=10); s.sendall(b'ping'); print('tcp=' + s.recv(16).decode(), flush=True)",
                "print('ready', flush=True)",
                "deadline, after = time.time() + 30, 'still-working'",
                "while time.time() < deadline:",
                "    try:",
                "        open('/app/data.txt').read()",
                "    except OSError as e:",
                "        after = code(e); break",
                "    time.sleep(0.1)",
                "print('file_after=' + after, flush=True)",
                "try:",
                "    socket.create_connection((ip, 7), timeout=10); print('tcp_after=connected', flush=True)",
                "except OSError as e:",
                "    print('tcp_after=' + code(e), flush=True)"))) {
      run.awaitLine("ready", SESSION);
      List<ProcessHandle> agents = MirrordSession.agentsFor(pod.pid());
      assertFalse(agents.isEmpty(), "run started a local agent for pid/" + pod.pid());
      agents.forEach(ProcessHandle::destroyForcibly); // the agent dies (guard and worker, SIGKILL)

      int exit = run.awaitExit(Duration.ofSeconds(60)); // never a silent hang
      List<String> lines = run.lines();
      String both = "exit " + exit + "\nout:\n" + run.out() + "\nerr:\n" + run.err();
      assertTrue(lines.contains("file=pod data") && lines.contains("tcp=ping"), both);
      assertTrue(
          lines.contains("file_after=EIO"), "a remote read after the loss fails with EIO\n" + both);
      String tcpAfter =
          lines.stream().filter(l -> l.startsWith("tcp_after=")).findFirst().orElse("none");
      assertTrue(
          tcpAfter.matches("tcp_after=E[A-Z]+") && !tcpAfter.equals("tcp_after=ETIMEDOUT"),
          "a remote connect after the loss fails at once with an errno, got "
              + tcpAfter
              + "\n"
              + both);
      assertTrue(
          run.err().contains("lost the connection to the agent"), "run says so loudly\n" + both);
    }
    // F5: a new session on the same pod works immediately
    try (MirrordSession again = MirrordSession.start(work, config, "cat", "/app/data.txt")) {
      int exit = again.awaitExit(SESSION);
      assertEquals(0, exit, again.err());
      assertEquals("pod data\n", again.out(), again.err());
    }
    assertTrue(
        Poll.tryUntil(Duration.ofSeconds(30), () -> MirrordSession.agentsFor(pod.pid()).isEmpty()),
        "agents still running after their sessions: "
            + describe(MirrordSession.agentsFor(pod.pid())));
  }

  @Test
  void twentySessionsBackToBackAllStartAndLeaveNothingBehind() {
    String jar = FatJar.require().toString();
    Set<Long> before = ours(jar);
    for (int i = 0; i < 20; i++) {
      try (MirrordSession run = MirrordSession.start(work, config, "cat", "/app/data.txt")) {
        int exit = run.awaitExit(SESSION);
        String both =
            "session " + i + ": exit " + exit + "\nout:\n" + run.out() + "\nerr:\n" + run.err();
        assertEquals(0, exit, both);
        assertEquals("pod data\n", run.out(), both);
        assertFalse(run.err().toLowerCase(Locale.ROOT).contains("address already in use"), both);
      }
    }
    assertTrue(
        Poll.tryUntil(Duration.ofSeconds(30), () -> MirrordSession.agentsFor(pod.pid()).isEmpty()),
        "agents left after 20 sessions: " + describe(MirrordSession.agentsFor(pod.pid())));
    assertTrue(
        Poll.tryUntil(Duration.ofSeconds(30), () -> before.containsAll(ours(jar))),
        "processes of ours left after 20 sessions: "
            + ours(jar).stream().filter(p -> !before.contains(p)).toList());
    assertEquals(List.of(), PodFirewall.ourRules(pod), "no redirect rule of ours in the pod");
    assertTrue(pod.isAlive(), "the pod's process is untouched");
  }

  /**
   * Pids of live processes running this fat jar (run, its agents, anything they spawned with it).
   */
  private static Set<Long> ours(String jar) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(jar))
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  private static String describe(List<ProcessHandle> ps) {
    return ps.stream()
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .toList()
        .toString();
  }
}
