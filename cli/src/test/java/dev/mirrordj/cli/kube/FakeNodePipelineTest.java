package dev.mirrordj.cli.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.verticles.kube.AgentEndpoint;
import dev.mirrordj.verticles.kube.AgentLaunchRequest;
import dev.mirrordj.verticles.kube.AgentSettings;
import dev.mirrordj.verticles.kube.KubeAgentLauncher;
import dev.mirrordj.verticles.kube.KubeClients;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Kubernetes path with real processes and real bytes: launcher → mock API (through the
 * front) → fake node starts a process for the agent Job → ready line read from the pod log →
 * port-forward WebSocket → TCP to the process, both directions → cleanup kills it. The process here
 * is a small Python TCP service standing in for the agent, so this test needs neither root nor the
 * agent build; {@code KubeEndToEndTest} runs the same path with the real agent on a harness pod.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class FakeNodePipelineTest {
  static KubernetesMockServer server;
  static KubernetesClient mockClient;
  private static final String STAND_IN =
      """
      import socket, sys, threading
      args = sys.argv[1:]
      port = int(args[args.index('--port') + 1]); host = args[args.index('--listen') + 1]
      s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      s.bind((host, port)); s.listen()
      print('args: ' + ' '.join(args)); print('agent ready - version standin-1', flush=True)
      def serve(c):
          c.sendall(b'standin:')
          while True:
              d = c.recv(65536)
              if not d: break
              c.sendall(d)
          c.close()
      while True:
          c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
      """;
  @TempDir Path tmp;
  private final String ns = "node-" + System.nanoTime();
  private Vertx vertx;
  private FakeApiFront front;
  private KubernetesClient client;
  private KubernetesClient nodeClient;
  private FakeNode node;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    front = FakeApiFront.start(vertx, server.url("/"));
    client =
        KubeClients.create(
            vertx,
            new ConfigBuilder(Config.empty())
                .withMasterUrl(front.url())
                .withNamespace(ns)
                .withRequestTimeout(5000)
                .build());
    nodeClient =
        KubeClients.create(
            vertx,
            new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url("/"))
                .withNamespace(ns)
                .build());
    Path script = Files.writeString(tmp.resolve("standin_agent.py"), STAND_IN);
    node =
        new FakeNode(
            server, nodeClient, front, ns, () -> List.of("python3", "-u", script.toString()));
    nodeClient.pods().inNamespace(ns).resource(TestPods.running(ns, "web", "app")).create();
  }

  @AfterEach
  void tearDown() throws Exception {
    node.close();
    client.close();
    nodeClient.close();
    front.close();
    vertx.close().await();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private String roundTrip(AgentEndpoint endpoint, String message) throws Exception {
    Promise<String> answer = Promise.promise();
    Buffer got = Buffer.buffer();
    String expected = "standin:" + message;
    // The handler is set in the connect callback, on the event loop, so no early byte is missed.
    // held for the whole exchange: Vert.x closes a collected NetClient's connections
    io.vertx.core.net.NetClient netClient = vertx.createNetClient();
    NetSocket socket =
        netClient
            .connect(endpoint.port(), endpoint.host())
            .onSuccess(
                s -> {
                  s.handler(
                      b -> {
                        got.appendBuffer(b);
                        if (got.length() >= expected.length()) {
                          answer.tryComplete(got.toString());
                        }
                      });
                  s.write(message);
                })
            .await(10, TimeUnit.SECONDS);
    try {
      return answer.future().await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(
          "no complete answer after 20 s; got "
              + got.length()
              + " bytes: "
              + got.toString().substring(0, Math.min(80, got.length()))
              + "\nagent output:\n"
              + node.agents().values().stream().map(a -> a.output().toString()).toList(),
          e);
    } finally {
      socket.close();
      netClient.close();
    }
  }

  @Test
  void agentJobRunsOnTheFakeNodeAndIsReachedThroughThePortForward() throws Exception {
    AgentEndpoint endpoint =
        new KubeAgentLauncher(vertx, client, p -> {})
            .launch(AgentLaunchRequest.of("pod/web", ns, AgentSettings.withDefaults()))
            .await(60, TimeUnit.SECONDS);
    assertEquals("standin-1", endpoint.version());
    assertEquals("standin:hello agent\n", roundTrip(endpoint, "hello agent\n"));
    // A second connection is a second port-forward stream, as a second client of the agent would
    // be.
    String big = "0123456789abcdef".repeat(12_500) + "\n";
    String echoed = roundTrip(endpoint, big);
    assertTrue(
        echoed.equals("standin:" + big),
        "200 kB echoed intact (got " + echoed.length() + " chars)");

    FakeNode.RunningAgent agent = node.agents().values().iterator().next();
    assertTrue(
        agent
            .output()
            .toString()
            .contains(
                "--container-id "
                    + TestPods.idFor("web", "app")
                    + " --container-runtime containerd"),
        agent.output().toString());
    endpoint.close();
    await("agent process stopped after the session", () -> !agent.process().isAlive());
    assertFalse(agent.process().isAlive());
  }
}
