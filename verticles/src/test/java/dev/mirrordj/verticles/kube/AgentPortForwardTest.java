package dev.mirrordj.verticles.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The port-forward bridge against the mock API's WebSocket portforward endpoint. */
@EnableKubernetesMockClient(crud = true, https = false)
class AgentPortForwardTest {
  static KubernetesMockServer server;
  static KubernetesClient mockClient;
  private final String ns = "pf-" + System.nanoTime();
  private Vertx vertx;
  private KubernetesClient client;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(server.url("/"))
            .withNamespace(ns)
            .withRequestTimeout(5000)
            .build();
    client = KubeClients.create(vertx, config);
  }

  @AfterEach
  void tearDown() {
    client.close();
    vertx.close().await();
  }

  /** A v4.channel.k8s.io frame: channel byte then payload. */
  private static WebSocketMessage frame(int channel, byte... payload) {
    byte[] out = new byte[payload.length + 1];
    out[0] = (byte) channel;
    System.arraycopy(payload, 0, out, 1, payload.length);
    return new WebSocketMessage(0L, out, false, true);
  }

  private static byte[] portBytes(int port) {
    return new byte[] {(byte) (port & 0xFF), (byte) (port >> 8)};
  }

  private String path(String pod, int port) {
    return "/api/v1/namespaces/" + ns + "/pods/" + pod + "/portforward?ports=" + port;
  }

  private void expectAgentGreeting(String pod, int port, String greeting) {
    server
        .expect()
        .get()
        .withPath(path(pod, port))
        .andUpgradeToWebSocket()
        .open()
        .waitFor(10)
        .andEmit(frame(0, portBytes(port)))
        .waitFor(10)
        .andEmit(frame(1, portBytes(port)))
        .waitFor(10)
        .andEmit(frame(0, greeting.getBytes(StandardCharsets.UTF_8)))
        .done()
        .once();
  }

  /** Connects to the forward and collects what arrives until {@code expected} bytes or close. */
  private String read(AgentPortForward forward, int expected) throws Exception {
    Promise<String> result = Promise.promise();
    Buffer received = Buffer.buffer();
    // Handlers are set in the connect callback, on the event loop, so no early byte is missed.
    // Held until the answer is in: Vert.x closes the connections of a NetClient that is garbage
    // collected, which made this read come back empty now and then.
    io.vertx.core.net.NetClient netClient = vertx.createNetClient();
    netClient
        .connect(forward.localPort(), "127.0.0.1")
        .onSuccess(
            socket -> {
              socket.handler(
                  b -> {
                    received.appendBuffer(b);
                    if (received.length() >= expected) {
                      result.tryComplete(received.toString());
                    }
                  });
              socket.closeHandler(v -> result.tryComplete(received.toString()));
            })
        .await(10, TimeUnit.SECONDS);
    try {
      return result.future().await(20, TimeUnit.SECONDS);
    } finally {
      netClient.close();
    }
  }

  @Test
  void bytesFromThePodArriveWithoutThePortPrefixes() throws Exception {
    expectAgentGreeting("agent-1", 41000, "hello from agent");
    AgentPortForward forward =
        AgentPortForward.open(vertx, client, ns, "agent-1", 41000).await(10, TimeUnit.SECONDS);
    try {
      assertEquals("hello from agent", read(forward, 16));
      assertEquals(0, forward.failedAttempts());
    } finally {
      forward.close();
    }
  }

  @Test
  void refusedUpgradesAreRetriedUntilOneSucceeds() throws Exception {
    // 404: the pod is not visible yet. (fabric8 itself already retries 5xx answers.)
    server
        .expect()
        .get()
        .withPath(path("agent-2", 42000))
        .andReturn(404, "pods \"agent-2\" not found")
        .times(2);
    expectAgentGreeting("agent-2", 42000, "after retries");
    AgentPortForward forward =
        AgentPortForward.open(vertx, client, ns, "agent-2", 42000).await(10, TimeUnit.SECONDS);
    try {
      assertEquals("after retries", read(forward, 13));
      assertEquals(2, forward.failedAttempts());
    } finally {
      forward.close();
    }
  }

  @Test
  void afterTheLastAttemptTheLocalConnectionIsClosed() throws Exception {
    server
        .expect()
        .get()
        .withPath(path("agent-3", 43000))
        .andReturn(403, "forbidden")
        .times(AgentPortForward.MAX_ATTEMPTS);
    AgentPortForward forward =
        AgentPortForward.open(vertx, client, ns, "agent-3", 43000).await(10, TimeUnit.SECONDS);
    try {
      assertEquals("", read(forward, 1), "closed without data");
      assertEquals(AgentPortForward.MAX_ATTEMPTS, forward.failedAttempts());
    } finally {
      forward.close();
    }
  }

  @Test
  void errorChannelMessageClosesTheConnection() throws Exception {
    server
        .expect()
        .get()
        .withPath(path("agent-4", 44000))
        .andUpgradeToWebSocket()
        .open()
        .waitFor(10)
        .andEmit(frame(0, portBytes(44000)))
        .waitFor(10)
        .andEmit(frame(1, portBytes(44000)))
        .waitFor(10)
        .andEmit(frame(1, "connection refused".getBytes(StandardCharsets.UTF_8)))
        .done()
        .once();
    AgentPortForward forward =
        AgentPortForward.open(vertx, client, ns, "agent-4", 44000).await(10, TimeUnit.SECONDS);
    try {
      assertEquals("", read(forward, 1));
      assertTrue(forward.localPort() > 0);
    } finally {
      forward.close();
    }
  }
}
