package dev.mirrordj.e2e.incoming;

import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.POD_BODY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stolen connections keep their ends, and a steal released at once leaves nothing behind, through
 * {@code run} on a harness pod ({@code pid/} target, so run starts its own local agent):
 *
 * <ul>
 *   <li>a client in the cluster sends a payload and half-closes; the local server (python3, node)
 *       reads to EOF, then answers; the client reads the whole answer;
 *   <li>a local program listens and closes its listener 13 ms later, 50 times: after each, the
 *       pod's own app answers again and no rule in the pod's namespace targets the port.
 * </ul>
 */
class StreamEndsAndSubscriptionsRunE2ETest {
  private static final AtomicInteger PODS = new AtomicInteger();
  private static final int PAYLOAD = 200_000;

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

  @ParameterizedTest(name = "{0} server")
  @ValueSource(strings = {"python3", "node"})
  void aClientHalfCloseReachesTheLocalServerAsEofAndTheAnswerComesBackWhole(String server)
      throws Exception {
    int port = IncomingRunE2ETest.freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "halfclose-" + server);
    Path cfg = IncomingRunE2ETest.config(dir, pod, "\"steal\"");
    Path script = copy(dir, server.equals("node") ? "eof_server.js" : "eof_server.py");
    Path client = copy(dir, "half_close_client.py");
    try (BackgroundRun run =
        BackgroundRun.start(dir, cfg, List.of(server, script.toString(), Integer.toString(port)))) {
      awaitStart(run, "listening");
      // the steal is in place once a connection reaches the local server; each attempt is a full
      // exchange, so the first one that reaches the pod's http app instead just answers wrong
      String[] last = {""};
      IncomingRunE2ETest.awaitTrue(
          run,
          "a half-closed connection gets the local server's whole answer",
          () -> {
            last[0] = clientRun(client, pod, port);
            return last[0].startsWith("answer=True");
          });
      for (int i = 0; i < 5; i++) {
        assertEquals(
            "answer=True bytes=" + answerBytes(),
            clientRun(client, pod, port).strip(),
            "half-closed exchange " + i + "\n" + run.output());
      }
    }
  }

  @Test
  void aListenerClosedWithinMillisecondsLeavesNoRedirectBehind() throws Exception {
    int port = IncomingRunE2ETest.freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "churn");
    Path cfg = IncomingRunE2ETest.config(dir, pod, "\"steal\"");
    Path script = copy(dir, "listen_close.py");
    int cycles = 50;
    String base = "http://" + pod.ip() + ":" + port + "/";
    try (BackgroundRun run =
        BackgroundRun.start(
            dir,
            cfg,
            List.of(
                "python3",
                script.toString(),
                Integer.toString(port),
                Integer.toString(cycles),
                dir.toString()))) {
      Files.writeString(dir.resolve("go-0"), "");
      awaitStart(run, "closed 0\n");
      for (int i = 0; i < cycles; i++) {
        Files.writeString(dir.resolve("go-" + i), "");
        int cycle = i;
        IncomingRunE2ETest.awaitTrue(
            run, "cycle " + i + " closed", () -> run.output().contains("closed " + cycle + "\n"));
        IncomingRunE2ETest.awaitTrue(
            run,
            "cycle " + i + ": the pod's app answers and no rule targets port " + port,
            () -> podAppAnswersAndNoRule(pod, port, base));
        // a subscribe that overtakes its unsubscribe lands a few ms later: look again (the rules
        // strictly; the pod's answer may take a moment on a busy machine)
        Thread.sleep(150);
        assertTrue(
            noRuleFor(pod, port),
            "cycle " + i + ": a redirect came back after the release\n" + rules(pod));
        IncomingRunE2ETest.awaitTrue(
            run,
            "cycle " + i + ": the pod's app still answers",
            () -> podAppAnswersAndNoRule(pod, port, base));
      }
      Thread.sleep(1000);
      assertTrue(noRuleFor(pod, port), rules(pod));
      IncomingRunE2ETest.awaitTrue(
          run, "the pod's app answers at the end", () -> podAppAnswersAndNoRule(pod, port, base));
      assertEquals(0, run.awaitExit(60), run.output());
    }
  }

  /**
   * run starts its own local agent before the program: on a busy machine that alone can take a
   * while, so the first sign of the program gets longer than later steps.
   */
  private static void awaitStart(BackgroundRun run, String line) throws InterruptedException {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (!run.output().contains(line) && run.alive() && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling interval, not a wait standing in for the condition
    }
    assertTrue(run.output().contains(line), "the program started under run\n" + run.output());
  }

  private static boolean podAppAnswersAndNoRule(Pod pod, int port, String url) {
    ExecResult answer = cluster.exec("curl", "-s", "-m", "5", url);
    if (!answer.ok() || !answer.stdout().startsWith(POD_BODY)) return false;
    return noRuleFor(pod, port);
  }

  private static boolean noRuleFor(Pod pod, int port) {
    return !Pattern.compile("dport " + port + "\\b").matcher(rules(pod)).find();
  }

  /** Every NAT rule of the pod's namespace, as iptables (legacy and nft) and nft list them. */
  private static String rules(Pod pod) {
    StringBuilder all = new StringBuilder();
    for (List<String> cmd :
        List.of(
            List.of("iptables-save", "-t", "nat"),
            List.of("ip6tables-save", "-t", "nat"),
            List.of("iptables-legacy-save", "-t", "nat"),
            List.of("nft", "list", "ruleset"))) {
      try {
        Process p =
            new ProcessBuilder(
                    java.util.stream.Stream.concat(
                            java.util.stream.Stream.of(
                                "nsenter", "-t", Long.toString(pod.pid()), "-n"),
                            cmd.stream())
                        .toList())
                .redirectErrorStream(true)
                .start();
        all.append(new String(p.getInputStream().readAllBytes()));
        p.waitFor();
      } catch (Exception e) {
        all.append(cmd).append(": ").append(e).append('\n');
      }
    }
    return all.toString();
  }

  private static String clientRun(Path client, Pod pod, int port) {
    ExecResult r =
        cluster.exec("python3", client.toString(), pod.ip(), Integer.toString(port), "" + PAYLOAD);
    return r.ok() ? r.stdout() : "failed: " + r.stdout() + r.stderr();
  }

  private static int answerBytes() {
    // "got <n> <64 hex>\n" repeated 2000 times
    return ("got " + PAYLOAD + " ").length() * 2000 + 65 * 2000;
  }

  private static Pod pod(int port) {
    return cluster.addPod(
        PodSpec.named("ends" + PODS.incrementAndGet()).httpServer(port, POD_BODY));
  }

  private static Path copy(Path dir, String name) throws Exception {
    try (var in =
        StreamEndsAndSubscriptionsRunE2ETest.class.getResourceAsStream("/streams/" + name)) {
      if (in == null) throw new IllegalStateException("missing test resource /streams/" + name);
      Path p = dir.resolve(name);
      Files.write(p, in.readAllBytes());
      return p;
    }
  }
}
