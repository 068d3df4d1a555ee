package dev.mirrordj.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.Root;
import dev.mirrordj.protocol.Auth;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.ProtocolVersion;
import dev.mirrordj.protocol.auth.SharedSecret;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.protocol.client.RemoteErrnoException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent serves only a client that proves it holds the agent's secret: checked at the protocol
 * level with a raw socket against the real agent process on a harness pod. A missing, wrong or
 * replayed proof gets EACCES and the connection closed (logged with the peer's address), while a
 * client that proved the secret, connected before and after, keeps being served. The secret reaches
 * the agent through its environment, never its command line.
 */
class AgentSecretE2ETest {
  static final SharedSecret SECRET = SharedSecret.generate();
  static Cluster cluster;
  static Pod pod;
  static AgentProcess agent;
  static Vertx vertx;
  static AgentClient trusted;

  @BeforeAll
  static void start() {
    Root.requireRoot();
    cluster = Cluster.start();
    pod = cluster.addPod(PodAgent.targetSpec());
    agent =
        AgentProcess.start(
            FatJar.require(),
            PodAgent.READY,
            Map.of(SharedSecret.AGENT_VARIABLE, SECRET.text()),
            "--target-pid",
            Long.toString(pod.pid()),
            "--idle-ttl",
            "600",
            "--communication-timeout",
            "120");
    vertx = Vertx.vertx();
    trusted = client(SECRET);
  }

  @AfterAll
  static void stop() {
    try {
      if (trusted != null) trusted.close();
      if (vertx != null) Await.result(vertx.close());
    } finally {
      try {
        if (agent != null) agent.close();
      } finally {
        if (cluster != null) cluster.close();
      }
    }
  }

  @Test
  void helloWithoutAProofIsRefusedAndTheConnectionClosed() throws Exception {
    try (RawConnection c = RawConnection.open()) {
      Message reply =
          c.request(new Control.Hello(ProtocolVersion.MAJOR, ProtocolVersion.MINOR, "no-proof"), 1);
      assertRefused(reply);
      c.assertClosedByAgent();
    }
    // a request of the agent's features before anything else gets nothing either
    try (RawConnection c = RawConnection.open()) {
      assertRefused(c.request(new Lookups.GetEnv(List.of("*"), List.of()), 1));
      c.assertClosedByAgent();
    }
    assertTrustedClientStillServed();
    assertLogged("refused client");
  }

  @Test
  void aWrongProofIsRefusedAndTheConnectionClosed() throws Exception {
    SharedSecret other = SharedSecret.generate();
    try (RawConnection c = RawConnection.open()) {
      Auth.Challenge challenge = c.challenge();
      assertEquals(32, challenge.nonce().length(), "a 256-bit nonce");
      Message reply =
          c.request(
              new Auth.Proof(
                  Buffer.buffer(other.proof(challenge.nonce().getBytes(), challenge.context()))),
              2);
      assertRefused(reply);
      c.assertClosedByAgent();
    }
    // the right secret bound to another context (an operator's) is wrong here too
    try (RawConnection c = RawConnection.open()) {
      Auth.Challenge challenge = c.challenge();
      Message reply =
          c.request(
              new Auth.Proof(
                  Buffer.buffer(SECRET.proof(challenge.nonce().getBytes(), "mirrordj operator"))),
              2);
      assertRefused(reply);
      c.assertClosedByAgent();
    }
    // and a client that holds the wrong secret fails to connect with the agent's reason
    Throwable refused = Await.failure(connect(other));
    assertInstanceOf(RemoteErrnoException.class, refused, refused.toString());
    assertEquals(Errno.EACCES, ((RemoteErrnoException) refused).errno());
    assertTrustedClientStillServed();
    assertLogged("wrong proof of the secret");
  }

  @Test
  void aReplayedProofIsRefused() throws Exception {
    byte[] recorded;
    byte[] firstNonce;
    try (RawConnection c = RawConnection.open()) {
      Auth.Challenge challenge = c.challenge();
      firstNonce = challenge.nonce().getBytes();
      recorded = SECRET.proof(firstNonce, challenge.context());
      assertInstanceOf(
          Control.Ok.class, c.request(new Auth.Proof(Buffer.buffer(recorded)), 2), "proof");
      Message hello =
          c.request(new Control.Hello(ProtocolVersion.MAJOR, ProtocolVersion.MINOR, "first"), 3);
      assertInstanceOf(Control.HelloOk.class, hello, "served after its proof");
    }
    // the same proof on a new connection: a fresh nonce makes it worthless
    try (RawConnection c = RawConnection.open()) {
      Auth.Challenge challenge = c.challenge();
      assertFalse(
          java.util.Arrays.equals(firstNonce, challenge.nonce().getBytes()),
          "every connection gets a fresh nonce");
      assertRefused(c.request(new Auth.Proof(Buffer.buffer(recorded)), 2));
      c.assertClosedByAgent();
    }
    // replayed without asking for a challenge
    try (RawConnection c = RawConnection.open()) {
      assertRefused(c.request(new Auth.Proof(Buffer.buffer(recorded)), 1));
      c.assertClosedByAgent();
    }
    // a second challenge on one connection, to try more than one proof
    try (RawConnection c = RawConnection.open()) {
      c.challenge();
      assertRefused(c.request(new Auth.Request(), 2));
      c.assertClosedByAgent();
    }
    assertTrustedClientStillServed();
    assertLogged("a proof without a challenge");
  }

  @Test
  void theSecretIsInTheAgentsEnvironmentAndOnNoCommandLine() throws Exception {
    List<ProcessHandle> processes = new ArrayList<>();
    processes.add(agent.process().toHandle());
    agent.process().descendants().forEach(processes::add);
    assertTrue(processes.size() >= 2, "the guard and its worker: " + processes);
    boolean inSomeEnvironment = false;
    for (ProcessHandle p : processes) {
      Path proc = Path.of("/proc", Long.toString(p.pid()));
      String cmdline;
      String environ;
      try {
        cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
        environ = new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8);
      } catch (IOException gone) {
        continue; // a short-lived helper process
      }
      assertFalse(cmdline.contains(SECRET.text()), "secret on the command line of " + p.pid());
      assertFalse(cmdline.isEmpty(), "read the command line of " + p.pid());
      inSomeEnvironment |= environ.contains(SharedSecret.AGENT_VARIABLE + "=" + SECRET.text());
    }
    assertTrue(inSomeEnvironment, "the agent got its secret through its environment");
    assertFalse(agent.output().contains(SECRET.text()), "the agent never logs its secret");
  }

  private static void assertRefused(Message reply) {
    assertInstanceOf(Control.ErrorReply.class, reply, "refused: " + reply);
    assertEquals(Errno.EACCES, ((Control.ErrorReply) reply).errno(), reply.toString());
  }

  private static void assertTrustedClientStillServed() {
    Lookups.EnvReply env =
        (Lookups.EnvReply)
            Await.result(trusted.request(new Lookups.GetEnv(List.of("APP_MODE"), List.of())));
    assertEquals("production", env.vars().get("APP_MODE"), env.toString());
    AgentClient late = client(SECRET);
    try {
      assertNotNull(Await.result(late.ping()));
    } finally {
      late.close();
    }
  }

  private static void assertLogged(String reason) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : agent.output().split("\n")) {
        if (line.contains(reason) && line.matches(".*refused client /?127\\.0\\.0\\.1:\\d+.*")) {
          return;
        }
      }
      Thread.sleep(100); // polling the agent's log
    }
    throw new AssertionError("no '" + reason + "' with the peer address in:\n" + agent.output());
  }

  private static io.vertx.core.Future<AgentClient> connect(SharedSecret secret) {
    return AgentClient.connect(
        vertx,
        "127.0.0.1",
        agent.port(),
        new AgentClientOptions().clientName("secret-test").secret(secret));
  }

  private static AgentClient client(SharedSecret secret) {
    return Await.result(connect(secret));
  }

  /** A blocking client socket that writes and reads frames, nothing more. */
  private static final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;

    private RawConnection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
    }

    static RawConnection open() throws IOException {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", agent.port()), 5000);
      s.setSoTimeout(10_000);
      return new RawConnection(s);
    }

    Auth.Challenge challenge() throws IOException {
      Message m = request(new Auth.Request(), 1);
      return assertInstanceOf(Auth.Challenge.class, m, "challenge: " + m);
    }

    /** Sends and returns the reply to {@code id}, skipping frames that answer nothing. */
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

    /** After a refusal: at most a GOODBYE, then end of stream (never a served request). */
    void assertClosedByAgent() throws IOException {
      try {
        while (true) {
          Frame f = read();
          Message m = MessageCodec.decode(f);
          assertInstanceOf(Control.Goodbye.class, m, "nothing but a goodbye after a refusal");
        }
      } catch (EOFException | SocketException closed) {
        // closed by the agent, as it must be
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
