package dev.mirrordj.agent.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.incoming.redirect.CommandRunner;
import dev.mirrordj.agent.incoming.redirect.FirewallBackend;
import dev.mirrordj.agent.incoming.redirect.LeftoverRules;
import dev.mirrordj.agent.incoming.redirect.RedirectRules;
import dev.mirrordj.agent.incoming.steal.StealEngine;
import dev.mirrordj.agent.incoming.steal.Subscription;
import dev.mirrordj.agent.ns.NamespacedVertx;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Steal activation under a steady stream of new connections, with {@code flush_connections} on: a
 * client namespace opens connections to the pod's app at a fixed rate while the steal starts and
 * stops several times. Every request must be answered in full (by the pod's app or the local
 * program): a conntrack flush that also removed connections redirected a moment earlier left their
 * clients hanging until their timeout.
 */
class StealActivationTest {
  private static final int APP_PORT = 8080;
  private static final int LOCAL_PORT = 9999;

  /**
   * New connections per second: by default what a small CI machine sustains in a test; {@code
   * -Dmirrordj.stealActivation.rate=2000} for the full benchmark rate (bench/steal-activation.sh).
   */
  private static final int RATE = Integer.getInteger("mirrordj.stealActivation.rate", 100);

  private static final double DURATION_S = 6;
  private static PodNetwork net;
  private static Vertx target;
  private static StealEngine engine;
  private static CommandRunner podRunner;
  private static RedirectRules rules;

  @BeforeAll
  static void setUp() throws Exception {
    PodNetwork.assumeRoot();
    net = new PodNetwork();
    String app = net.resource("app_server.py");
    net.spawn(net.pod, "python3", app, "pod", "::", String.valueOf(APP_PORT));
    net.spawn(net.pod, "python3", app, "local", "127.0.0.1", String.valueOf(LOCAL_PORT));
    awaitPort(APP_PORT);
    awaitPort(LOCAL_PORT);
    podRunner = new CommandRunner(net.podNs());
    // a NAT rule of the pod's own (as a mesh sidecar gives real pods): the kernel NAT-tracks every
    // connection from the start, which is when a flush matters
    podRunner.runChecked(
        "iptables-nft",
        "-t",
        "nat",
        "-A",
        "PREROUTING",
        "-p",
        "tcp",
        "--dport",
        "7001",
        "-j",
        "REDIRECT",
        "--to-ports",
        "7002");
    target = NamespacedVertx.create(net.podNs(), 1);
    engine =
        StealEngine.start(
                target,
                Duration.ofMillis(300),
                ports ->
                    rules =
                        new RedirectRules(podRunner, FirewallBackend.NFT, ports[0], ports[1], 0))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    // the agent's chains go in with its first steal and stay: install them before any load, so
    // the tests measure a port's steal starting, not the chains' first install (connections in
    // their handshake at that moment can stall; see docs/streams-and-steal.md)
    LocalAppTarget warm =
        new LocalAppTarget(
            target.createNetClient(new NetClientOptions().setTcpNoDelay(true)), LOCAL_PORT, "warm");
    engine.subscribe(new Subscription("warm", APP_PORT, null, warm), false);
    engine.unsubscribe("warm", APP_PORT);
  }

  /**
   * Waits until the app on {@code port} answers an HTTP request (accepting alone is the kernel's
   * backlog, not the app serving): python's start can take long on a busy machine, up to 90 s.
   */
  private static void awaitPort(int port) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        net.awaitPort(net.pod, "127.0.0.1", port);
        net.exec(
            net.pod,
            "python3",
            "-c",
            "import urllib.request; urllib.request.urlopen('http://127.0.0.1:"
                + port
                + "/warmup', timeout=15).read()");
        return;
      } catch (java.io.IOException notYet) {
        if (attempt == 6) {
          throw notYet;
        }
      }
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (engine != null) {
      engine.close();
      assertTrue(LeftoverRules.find(podRunner).isEmpty(), "chains removed when the engine closes");
    }
    if (target != null) {
      target.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (net != null) {
      net.close();
    }
  }

  /**
   * Without flush: connections already at the pod's app finish there, new ones are stolen; no
   * request of either kind fails, however the steal starts and stops under them.
   */
  @Test
  void withoutFlushNoRequestFailsWhileStealsStartAndStop() throws Exception {
    Load load = underLoad(false);
    assertEquals(0, load.failures.size(), load.summary);
  }

  /**
   * With flush: a connection that reached the pod's app before the redirect is moved by the flush
   * (reset, or stalled when its next packet meets the redirect); that is what flushing means. But a
   * connection opened once the redirect is in place must never be hurt by the flush that follows
   * it: every failure must have started before its activation's rule went in.
   */
  @Test
  void withFlushNoConnectionOpenedAfterTheRedirectFails() throws Exception {
    Load load = underLoad(true);
    for (long[] failure : load.failures) {
      long started = failure[0];
      boolean beforeARule =
          load.rulesIn.stream()
              .anyMatch(w -> started <= w[0] + CLOCK_SLACK_MS && started >= w[1] - CLOCK_SLACK_MS);
      assertTrue(
          beforeARule,
          "connection "
              + failure[1]
              + " started at "
              + started
              + " with a redirect in place and failed; activations (rule in, previous rule out): "
              + load.rulesIn.stream().map(w -> w[0] + "/" + w[1]).toList()
              + "\n"
              + load.summary);
    }
  }

  /** Both clocks are the machine's wall clock; this only covers the program's own reading order. */
  private static final long CLOCK_SLACK_MS = 5;

  private record Load(String summary, List<long[]> failures, List<long[]> rulesIn) {}

  /**
   * Steady new connections while the steal starts and stops six times; returns the summary, the
   * failures (start epoch ms, id) and for each activation [rule installed, previous rule removed].
   */
  private Load underLoad(boolean flush) throws Exception {
    Process load =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                net.client,
                "python3",
                net.resource("rate_client.py"),
                net.podIp,
                String.valueOf(APP_PORT),
                String.valueOf(RATE),
                String.valueOf(DURATION_S),
                "8")
            .redirectErrorStream(true)
            .start();
    LocalAppTarget local =
        new LocalAppTarget(
            target.createNetClient(new NetClientOptions().setTcpNoDelay(true)),
            LOCAL_PORT,
            "activation");
    List<long[]> rulesIn = new ArrayList<>();
    long ruleOut = 0;
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CountDownLatch flowing = new java.util.concurrent.CountDownLatch(1);
    // read all the time: the client prints a line per failed connection, and a pipe left unread
    // while it runs would block it once full (it then looks stuck instead of showing its failures)
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(new InputStreamReader(load.getInputStream()))) {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                  if (l.equals("flowing")) flowing.countDown();
                  else lines.add(l);
                }
              } catch (java.io.IOException ignored) {
                // the process was killed; what was read is kept
              }
              flowing.countDown();
            },
            "rate-client-output");
    reader.setDaemon(true);
    reader.start();
    try {
      try {
        // the activations start once connections are flowing (the first one was answered)
        assertTrue(flowing.await(60, TimeUnit.SECONDS), "the load client got a first answer");
        while (load.isAlive() && rulesIn.size() < 6) {
          // the rule first, then (as the engine does with flush_connections) the flush: timed
          // apart so a failure can be placed before or after the rule
          engine.subscribe(new Subscription("activation", APP_PORT, null, local), false);
          rulesIn.add(new long[] {System.currentTimeMillis(), ruleOut});
          if (flush) {
            rules.flushConnections(APP_PORT);
          }
          Thread.sleep(400);
          engine.unsubscribe("activation", APP_PORT);
          ruleOut = System.currentTimeMillis();
          Thread.sleep(300);
        }
      } finally {
        engine.unsubscribe("activation", APP_PORT);
      }
      assertTrue(load.waitFor(60, TimeUnit.SECONDS), "the load client finished");
      reader.join(10_000);
    } finally {
      load.destroyForcibly();
    }
    String summary = lines.stream().filter(l -> l.startsWith("sent=")).findFirst().orElse("");
    System.out.println(
        "steal activation (flush " + flush + "): " + rulesIn.size() + " activations; " + summary);
    List<long[]> failures = new ArrayList<>();
    for (String l : lines) {
      if (l.startsWith("failure ")) {
        String[] f = l.split(" ", 4);
        failures.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    Matcher m =
        Pattern.compile("sent=(\\d+) ok=(\\d+) pod=(\\d+) local=(\\d+) failed=(\\d+)")
            .matcher(summary);
    assertTrue(m.find(), String.join("\n", lines));
    assertTrue(rulesIn.size() >= 3, "the steal started at least 3 times under load: " + summary);
    assertEquals(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)) + failures.size(),
        "every request answered or reported failed: " + summary);
    assertTrue(Integer.parseInt(m.group(3)) > 0, "some reached the pod's app: " + summary);
    assertTrue(Integer.parseInt(m.group(4)) > 0, "some were stolen: " + summary);
    assertTrue(LeftoverRules.redirects(podRunner).isEmpty(), "no redirect left");
    return new Load(summary, failures, rulesIn);
  }
}
