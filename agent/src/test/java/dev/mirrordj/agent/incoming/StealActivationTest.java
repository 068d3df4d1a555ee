package dev.mirrordj.agent.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.incoming.net.NamespacedVertx;
import dev.mirrordj.agent.incoming.redirect.CommandRunner;
import dev.mirrordj.agent.incoming.redirect.FirewallBackend;
import dev.mirrordj.agent.incoming.redirect.LeftoverRules;
import dev.mirrordj.agent.incoming.redirect.RedirectRules;
import dev.mirrordj.agent.incoming.steal.StealEngine;
import dev.mirrordj.agent.incoming.steal.Subscription;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
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
  private static final int RATE = Integer.getInteger("mirrordj.stealActivation.rate", 250);

  private static final double DURATION_S = 6;
  private static PodNetwork net;
  private static Vertx target;
  private static StealEngine engine;
  private static CommandRunner podRunner;

  @BeforeAll
  static void setUp() throws Exception {
    PodNetwork.assumeRoot();
    net = new PodNetwork();
    String app = net.resource("app_server.py");
    net.spawn(net.pod, "python3", app, "pod", "::", String.valueOf(APP_PORT));
    net.spawn(net.pod, "python3", app, "local", "127.0.0.1", String.valueOf(LOCAL_PORT));
    net.awaitPort(net.pod, "127.0.0.1", APP_PORT);
    net.awaitPort(net.pod, "127.0.0.1", LOCAL_PORT);
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
                ports -> new RedirectRules(podRunner, FirewallBackend.NFT, ports[0], ports[1], 0))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
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

  @Test
  void noRequestIsLostWhileStealsStartAndStopUnderSteadyNewConnections() throws Exception {
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
    int activations = 0;
    try {
      Thread.sleep(800);
      // each activation installs the redirect and flushes while connections keep arriving
      while (load.isAlive() && activations < 6) {
        engine.subscribe(new Subscription("activation", APP_PORT, null, local), true);
        activations++;
        Thread.sleep(400);
        engine.unsubscribe("activation", APP_PORT);
        Thread.sleep(300);
      }
    } finally {
      engine.unsubscribe("activation", APP_PORT);
    }
    String summary;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(load.getInputStream()))) {
      assertTrue(load.waitFor(60, TimeUnit.SECONDS), "the load client finished");
      summary = out.lines().reduce("", (a, b) -> a + b + "\n").strip();
    } finally {
      load.destroyForcibly();
    }
    System.out.println("steal activation: " + activations + " activations; " + summary);
    Matcher m =
        Pattern.compile("sent=(\\d+) ok=(\\d+) pod=(\\d+) local=(\\d+) failed=(\\d+)")
            .matcher(summary);
    assertTrue(m.find(), summary);
    int sent = Integer.parseInt(m.group(1));
    assertTrue(activations >= 3, "the steal started at least 3 times under load: " + activations);
    assertEquals(sent, Integer.parseInt(m.group(2)), "every request answered: " + summary);
    assertEquals(0, Integer.parseInt(m.group(5)), summary);
    assertTrue(Integer.parseInt(m.group(3)) > 0, "some reached the pod's app: " + summary);
    assertTrue(Integer.parseInt(m.group(4)) > 0, "some were stolen: " + summary);
    assertTrue(LeftoverRules.redirects(podRunner).isEmpty(), "no redirect left");
  }
}
