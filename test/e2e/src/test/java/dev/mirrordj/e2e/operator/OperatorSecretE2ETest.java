package dev.mirrordj.e2e.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import dev.mirrordj.protocol.Auth;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.auth.SharedSecret;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.protocol.client.RemoteErrnoException;
import dev.mirrordj.verticles.cluster.OperatorAdmin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator node with {@code MIRRORD_OPERATOR_SECRET} serves only clients that prove it: a
 * session or command without a proof, or with a wrong one, is refused (EACCES) and closed. A client
 * that proves it gets a session on a harness pod; the node proves the secret of the agent it
 * started itself (the agent refuses everyone else), and the session is served end to end.
 */
class OperatorSecretE2ETest {
  static final SharedSecret SECRET = SharedSecret.generate();
  @TempDir static Path work;
  static Cluster cluster;
  static Vertx vertx;

  @BeforeAll
  static void start() {
    Root.requireRoot();
    cluster = Cluster.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
    } finally {
      if (cluster != null) cluster.close();
    }
  }

  @Test
  void onlyAClientThatProvesTheSecretGetsASessionAndTheNodeProvesTheAgentsSecret()
      throws Exception {
    Pod pod = cluster.addPod(PodSpec.named("opsecret").env("APP_MODE", "operator-secret"));
    String target = "pid/" + pod.pid();
    try (OperatorNodes nodes =
        OperatorNodes.start(work, 1, Map.of(SharedSecret.OPERATOR_VARIABLE, SECRET.text()))) {
      OperatorNodes.Node node = nodes.node(0);
      Control.OperatorHello hello =
          new Control.OperatorHello(target, "alice", "", "s-" + System.nanoTime(), "");

      // no proof: the session's first frame is refused
      try (Raw raw = Raw.open(node.port())) {
        Message reply = raw.request(hello, 1);
        assertRefused(reply, nodes);
        raw.assertClosed();
      }
      // a wrong proof
      try (Raw raw = Raw.open(node.port())) {
        Auth.Challenge c = (Auth.Challenge) raw.request(new Auth.Request(), 1);
        byte[] wrong = SharedSecret.generate().proof(c.nonce().getBytes(), c.context());
        assertRefused(raw.request(new Auth.Proof(Buffer.buffer(wrong)), 2), nodes);
        raw.assertClosed();
      }
      // the agent's proof context is not the operator's
      try (Raw raw = Raw.open(node.port())) {
        Auth.Challenge c = (Auth.Challenge) raw.request(new Auth.Request(), 1);
        byte[] other = SECRET.proof(c.nonce().getBytes(), "mirrordj agent");
        assertRefused(raw.request(new Auth.Proof(Buffer.buffer(other)), 2), nodes);
        raw.assertClosed();
      }
      // a client library user without the secret gets the operator's reason
      Throwable refused =
          AgentClient.connect(
                  vertx,
                  "127.0.0.1",
                  node.port(),
                  new AgentClientOptions().preamble(hello).clientName("no-secret"))
              .transform(ar -> Future.succeededFuture(ar.cause()))
              .await(60, TimeUnit.SECONDS);
      assertInstanceOf(RemoteErrnoException.class, refused, String.valueOf(refused));
      assertEquals(Errno.EACCES, ((RemoteErrnoException) refused).errno());
      // an admin command without the secret (this test JVM has none in its environment)
      try {
        OperatorAdmin.status(node.address());
        throw new AssertionError("status without the secret was answered");
      } catch (OperatorAdmin.AdminException expected) {
        assertTrue(
            expected.getMessage().contains(SharedSecret.OPERATOR_VARIABLE), expected.getMessage());
      }

      // with the secret: a session on the pod, relayed to the agent the node started and proved
      AgentClient alice =
          AgentClient.connect(
                  vertx,
                  "127.0.0.1",
                  node.port(),
                  new AgentClientOptions()
                      .preamble(hello)
                      .secret(SECRET)
                      .clientName("alice")
                      .connectTimeout(java.time.Duration.ofSeconds(30)))
              .await(180, TimeUnit.SECONDS);
      try {
        Lookups.EnvReply env =
            alice
                .request(new Lookups.GetEnv(List.of("APP_MODE"), List.of()), Lookups.EnvReply.class)
                .await(30, TimeUnit.SECONDS);
        assertEquals(Map.of("APP_MODE", "operator-secret"), env.vars(), nodes.logs());
      } finally {
        alice.close().await(10, TimeUnit.SECONDS);
      }
      String logs = nodes.logs();
      assertTrue(logs.contains("refused: wrong proof of the secret"), logs);
      assertTrue(!logs.contains(SECRET.text()), "the operator never logs its secret:\n" + logs);
    }
  }

  private static void assertRefused(Message reply, OperatorNodes nodes) {
    assertInstanceOf(Control.ErrorReply.class, reply, reply + "\n" + nodes.logs());
    assertEquals(Errno.EACCES, ((Control.ErrorReply) reply).errno(), reply.toString());
  }

  /** A blocking socket speaking frames. */
  private static final class Raw implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;

    private Raw(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
    }

    static Raw open(int port) throws IOException {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      // a refusal must come, but a node under a loaded machine may take a while to answer its
      // first connections (its cluster and event loops start with it): the same 60 s as the
      // client-library connections below
      s.setSoTimeout(60_000);
      return new Raw(s);
    }

    Message request(Message m, int id) throws IOException {
      socket.getOutputStream().write(m.toWire(id).getBytes());
      while (true) {
        Frame f = read();
        if (f.requestId() == id) return MessageCodec.decode(f);
      }
    }

    Frame read() throws IOException {
      int length = in.readInt();
      int type = in.readUnsignedShort();
      int requestId = in.readInt();
      byte[] body = new byte[length - Frame.HEADER_AFTER_LENGTH];
      in.readFully(body);
      return new Frame(type, requestId, Buffer.buffer(body));
    }

    /** Nothing but the end of the stream follows a refusal. */
    void assertClosed() throws IOException {
      try {
        Frame f = read();
        throw new AssertionError("a frame after a refusal: " + MessageCodec.decode(f));
      } catch (EOFException | SocketException closed) {
        // as it must be
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
