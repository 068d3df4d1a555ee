package dev.mirrordj.agent.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.AgentOptions;
import dev.mirrordj.agent.AgentWorker;
import dev.mirrordj.agent.incoming.redirect.CommandRunner;
import dev.mirrordj.agent.incoming.redirect.LeftoverRules;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.protocol.incoming.Incoming;
import dev.mirrordj.protocol.incoming.IncomingClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The whole incoming path through the real agent: an in-process agent worker targeting the pod's
 * app process, our protocol client with {@link IncomingClient} delivering into local python apps in
 * the host namespace (the developer's machine), clients in their own namespace.
 */
class IncomingEndToEndTest {

  private static final int APP_PORT = 8080;

  /**
   * Fewer bytes than any mirrored request of this test takes on the wire ("GET /m-0-0 HTTP/1.1",
   * Host, Accept-Encoding: about 70).
   */
  private static final long SHORTEST_MIRRORED_REQUEST = 50;

  private static <T> T onContext(Context ctx, Supplier<Future<T>> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    ctx.runOnContext(
        v ->
            work.get()
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        result.complete(ar.result());
                      } else {
                        result.completeExceptionally(ar.cause());
                      }
                    }));
    return result.get(20, TimeUnit.SECONDS);
  }

  @Test
  void stealWithAHeaderFilterAndMirrorThroughTheAgentProtocol() throws Exception {
    PodNetwork.assumeRoot();
    Vertx vertx = Vertx.vertx();
    Path mirrorLog = Files.createTempFile("mirrordj-e2e-mirror", ".log");
    try (PodNetwork net = new PodNetwork()) {
      String app = net.resource("app_server.py");
      Process pod = net.spawn(net.pod, "python3", app, "pod", "0.0.0.0", String.valueOf(APP_PORT));
      int stealPort = net.freePort();
      int mirrorPort = net.freePort();
      net.spawnHost("python3", app, "local", "127.0.0.1", String.valueOf(stealPort));
      net.spawnHost(
          "python3", app, "mirror", "127.0.0.1", String.valueOf(mirrorPort), mirrorLog.toString());
      net.awaitPodPort(APP_PORT);
      net.awaitHostPort(stealPort);
      net.awaitHostPort(mirrorPort);

      // agent.network_interface: the pod has no default route here, so name its interface
      System.setProperty("mirrordj.agent.network_interface", net.podInterface());
      AgentWorker worker =
          new AgentWorker(
              new AgentOptions(
                  "127.0.0.1", 0, Duration.ofSeconds(30), Duration.ZERO, pod.pid(), "e2e"));
      try {
        int agentPort =
            worker.start().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        Context ctx = vertx.getOrCreateContext();
        AgentClient agent =
            onContext(
                ctx,
                () -> AgentClient.connect(vertx, "127.0.0.1", agentPort, new AgentClientOptions()));
        IncomingClient incoming =
            onContext(ctx, () -> Future.succeededFuture(new IncomingClient(vertx, agent)));

        // steal, filtered: alice's requests reach the local program, the rest the pod's app
        onContext(
            ctx,
            () ->
                incoming.subscribe(
                    new Incoming.Subscribe(
                        APP_PORT, Incoming.MODE_STEAL, "^x-user: alice$", "", true, false),
                    SocketAddress.inetSocketAddress(stealPort, "127.0.0.1")));
        String out =
            net.exec(
                net.client,
                "python3",
                net.resource("client.py"),
                net.podIp,
                String.valueOf(APP_PORT),
                "GET /1|X-User: alice",
                "GET /2|X-User: bob",
                "POST /3|X-User: alice",
                "GET /4",
                "BIGPOST /5|X-User: alice");
        assertEquals(
            List.of(
                "local GET /1 body=0",
                "pod GET /2 body=0",
                "local POST /3 body=100000",
                "pod GET /4 body=0",
                "local POST /5 body=3000000"),
            List.of(out.strip().split("\n")));
        onContext(ctx, () -> incoming.unsubscribe(APP_PORT));
        CommandRunner podRunner = new CommandRunner(net.podNs());
        assertTrue(
            LeftoverRules.redirects(podRunner).isEmpty(), "redirects removed with the last steal");

        // mirror: every request reaches the local copy while the pod answers them all
        onContext(
            ctx,
            () ->
                incoming.subscribe(
                    new Incoming.Subscribe(APP_PORT, Incoming.MODE_MIRROR, "", "", true, false),
                    SocketAddress.inetSocketAddress(mirrorPort, "127.0.0.1")));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count(mirrorLog, "/probe") == 0) {
          assertTrue(System.nanoTime() < deadline, "mirroring never started");
          net.clientHttp(APP_PORT, 1, 1, "/probe");
          Thread.sleep(100);
        }
        assertEquals("pod=300", net.clientHttp(APP_PORT, 3, 100, "/m").strip());
        deadline = System.nanoTime() + 10_000_000_000L;
        while (count(mirrorLog, "/m-") < 300 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        // a request can only be missing from the copy if the agent reported the bytes it lost: a
        // gap of n bytes hides at most n / (shortest request) requests plus the two it cuts into
        long missing = 300 - count(mirrorLog, "/m-");
        long explained =
            incoming.lostBytes() / SHORTEST_MIRRORED_REQUEST + 2 * incoming.lossReports();
        assertTrue(
            missing <= explained,
            "mirrored "
                + count(mirrorLog, "/m-")
                + " of 300; the agent reported "
                + incoming.lostBytes()
                + " lost bytes in "
                + incoming.lossReports()
                + " gaps");
        agent.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } finally {
        worker.close();
        System.clearProperty("mirrordj.agent.network_interface");
      }
      assertTrue(LeftoverRules.find(new CommandRunner(net.podNs())).isEmpty());
    } finally {
      vertx.close();
      Files.deleteIfExists(mirrorLog);
    }
  }

  private static long count(Path log, String prefix) throws java.io.IOException {
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.startsWith("GET " + prefix)).distinct().count();
    }
  }
}
