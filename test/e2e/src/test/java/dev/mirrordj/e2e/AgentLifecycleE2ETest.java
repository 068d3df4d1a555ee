package dev.mirrordj.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Poll;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.MessageTypes;
import dev.mirrordj.protocol.Net;
import dev.mirrordj.protocol.ProtocolVersion;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.OutgoingStream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: 50 clients at once; a client sending garbage frames does not affect the others; the
 * agent exits after the last client leaves, when the target dies, and when no first client comes in
 * time.
 */
class AgentLifecycleE2ETest {

  /** One client's full round: handshake, file, env, DNS, hostname and an echo exchange. */
  private static Future<Void> workload(AgentClient c, PodAgent env, int i) {
    byte[] payload = ("client-" + i + "-").repeat(100).getBytes();
    return c.fetchFile("/app/config.json")
        .compose(b -> check(PodAgent.CONFIG.equals(b.toString()), "config for client " + i))
        .compose(
            v ->
                c.request(
                    new Lookups.GetEnv(List.of("APP_MODE"), List.of()), Lookups.EnvReply.class))
        .compose(
            e ->
                check(
                    e.vars().equals(java.util.Map.of("APP_MODE", "production")),
                    "env for client " + i))
        .compose(v -> c.request(new Lookups.Resolve("echo", 4, 1), Lookups.AddrInfoReply.class))
        .compose(r -> check(r.status() == 0 && !r.records().isEmpty(), "dns for client " + i))
        .compose(v -> c.request(new Lookups.GetHostname(), Lookups.NameReply.class))
        .compose(n -> check(PodAgent.HOSTNAME.equals(n.name()), "hostname for client " + i))
        .compose(v -> c.connect(Net.KIND_TCP, env.cluster.echoIp(), Cluster.ECHO_PORT))
        .compose(s -> echo(s, payload))
        .compose(
            back ->
                check(java.util.Arrays.equals(payload, back.getBytes()), "echo for client " + i));
  }

  private static Future<Buffer> echo(OutgoingStream s, byte[] payload) {
    io.vertx.core.Promise<Buffer> done = io.vertx.core.Promise.promise();
    Buffer got = Buffer.buffer();
    s.handler(got::appendBuffer);
    s.endHandler(v -> done.tryComplete(got));
    s.closeHandler(errno -> done.tryComplete(got));
    s.write(Buffer.buffer(payload)).onSuccess(v -> s.shutdown()).onFailure(done::tryFail);
    return done.future();
  }

  private static Future<Void> check(boolean ok, String what) {
    return ok
        ? Future.succeededFuture()
        : Future.failedFuture(new AssertionError("wrong answer: " + what));
  }

  @Test
  void fiftyClientsAtOnceWhileAGarbageClientIsThrownOut() throws Exception {
    try (PodAgent env = PodAgent.start()) {
      List<AgentClient> clients = new ArrayList<>();
      List<Future<AgentClient>> connecting = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        connecting.add(
            AgentClient.connect(
                env.vertx,
                "127.0.0.1",
                env.agent.port(),
                new dev.mirrordj.protocol.client.AgentClientOptions().clientName("c" + i)));
      }
      for (Future<AgentClient> f : connecting) {
        clients.add(Await.result(f, Duration.ofSeconds(60)));
      }

      // garbage while the 50 work: each of these connections must be closed by the agent
      List<Socket> garbage = new ArrayList<>();
      for (byte[] bad :
          List.of(unknownFrameBeforeHello(), oversizedFrameHeader(), helloThenMalformedOpen())) {
        Socket s = new Socket("127.0.0.1", env.agent.port());
        s.getOutputStream().write(bad);
        s.getOutputStream().flush();
        garbage.add(s);
      }
      Socket truncated = new Socket("127.0.0.1", env.agent.port());
      truncated.getOutputStream().write(new byte[] {0, 0, 0, 20, 0, 1});
      truncated.shutdownOutput(); // half a frame, then EOF
      garbage.add(truncated);

      List<Future<Void>> rounds = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        rounds.add(workload(clients.get(i), env, i));
      }
      Await.result(Future.all(rounds), Duration.ofSeconds(120));

      for (Socket s : garbage) {
        s.setSoTimeout(15_000);
        assertEquals(-1, drainToEof(s.getInputStream()), "the agent closes a garbage connection");
        s.close();
      }
      // and everyone is still served afterwards
      List<Future<Void>> again = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        again.add(clients.get(i).ping().mapEmpty());
      }
      Await.result(Future.all(again));
      assertTrue(env.agent.process().isAlive());
      clients.forEach(AgentClient::close);
    }
  }

  private static int drainToEof(InputStream in) throws java.io.IOException {
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // an ERROR or GOODBYE frame may come first
      }
    } catch (java.net.SocketException reset) {
      return -1; // reset is a close too
    }
    return -1;
  }

  /** A complete frame of random content and an unknown type, sent instead of HELLO. */
  private static byte[] unknownFrameBeforeHello() {
    byte[] body = new byte[4000];
    new Random(99).nextBytes(body);
    return ByteBuffer.allocate(4 + 6 + body.length)
        .putInt(6 + body.length)
        .putShort((short) 0x7777)
        .putInt(1)
        .put(body)
        .array();
  }

  /** A length far above the 1 MiB maximum. */
  private static byte[] oversizedFrameHeader() {
    return ByteBuffer.allocate(10).putInt(64 << 20).putShort((short) 1).putInt(1).array();
  }

  /** A valid handshake, then FILE_OPEN whose string claims 1000 bytes but the frame holds 3. */
  private static byte[] helloThenMalformedOpen() {
    byte[] hello =
        new Control.Hello(ProtocolVersion.MAJOR, ProtocolVersion.MINOR, "evil")
            .toFrame(1)
            .toBuffer()
            .getBytes();
    byte[] open =
        ByteBuffer.allocate(4 + 6 + 7)
            .putInt(6 + 7)
            .putShort((short) MessageTypes.FILE_OPEN)
            .putInt(2)
            .putInt(1000)
            .put(new byte[] {'/', 'e', 't'})
            .array();
    return ByteBuffer.allocate(hello.length + open.length).put(hello).put(open).array();
  }

  @Test
  void agentExitsWhenTheLastClientLeaves() {
    try (PodAgent env = PodAgent.start("--idle-ttl", "0", "--communication-timeout", "120")) {
      AgentClient a = env.connect("a");
      AgentClient b = env.connect("b");
      Await.result(a.ping());
      Await.result(a.close());
      Await.result(b.ping());
      assertTrue(env.agent.process().isAlive(), "one client is still connected");
      Await.result(b.close());
      env.agent.awaitExit(Duration.ofSeconds(30));
      // the exit line itself, with its reason (every agent logs "client" at connect already)
      assertTrue(
          env.agent
              .output()
              .contains("agent exiting: last client left and idle-ttl of 0 s passed (IDLE)"),
          "the exit reason is logged:\n" + env.agent.output());
    }
  }

  @Test
  void defaultListenIsEveryInterfaceAndAPositiveIdleTtlWaitsForAReturningClient() throws Exception {
    try (PodAgent env = PodAgent.start("--idle-ttl", "10", "--communication-timeout", "120")) {
      // no --listen: the control port is bound on every interface of the agent's namespace
      Process ss =
          new ProcessBuilder("ss", "-H", "-ltn", "sport = :" + env.agent.port())
              .redirectErrorStream(true)
              .start();
      String listening = new String(ss.getInputStream().readAllBytes()).strip();
      assertTrue(ss.waitFor(10, TimeUnit.SECONDS));
      String local = listening.isEmpty() ? "" : listening.split("\\s+")[3];
      assertTrue(
          Set.of("*:" + env.agent.port(), "0.0.0.0:" + env.agent.port(), "[::]:" + env.agent.port())
              .contains(local),
          "expected a wildcard listener, ss says: " + listening);

      AgentClient first = env.connect("first");
      Await.result(first.ping());
      Await.result(first.close());
      // the last client left, but a client coming back within the TTL is still served
      AgentClient back = env.connect("back");
      Await.result(back.ping());
      assertTrue(env.agent.process().isAlive());
      Await.result(back.close());
      env.agent.awaitExit(Duration.ofSeconds(60)); // and once the TTL passes with nobody, it exits
      assertTrue(
          env.agent
              .output()
              .contains("agent exiting: last client left and idle-ttl of 10 s passed (IDLE)"),
          "the exit reason is logged:\n" + env.agent.output());
    }
  }

  @Test
  void agentExitsWhenTheTargetDies() throws Exception {
    try (PodAgent env = PodAgent.start()) {
      AgentClient c = env.connect("watcher");
      Await.result(c.ping());
      env.pod.process().destroyForcibly();
      assertTrue(env.pod.process().waitFor(10, TimeUnit.SECONDS));
      env.agent.awaitExit(Duration.ofSeconds(30));
      assertTrue(
          env.agent.output().toLowerCase().contains("target"),
          "the exit reason is logged:\n" + env.agent.output());
      Poll.until("the client to notice", Duration.ofSeconds(30), () -> c.lost().isComplete());
    }
  }

  @Test
  void agentExitsWhenNoFirstClientComesInTime() {
    try (PodAgent env = PodAgent.start("--communication-timeout", "2")) {
      env.agent.awaitExit(Duration.ofSeconds(30));
      assertTrue(
          env.agent.output().toLowerCase().contains("timeout")
              || env.agent.output().toLowerCase().contains("first client"),
          "the exit reason is logged:\n" + env.agent.output());
    }
  }

  @Test
  void tcpEchoByteExactForEachOfSeveralClientsInParallel() throws Exception {
    try (PodAgent env = PodAgent.start()) {
      List<Future<Buffer>> results = new ArrayList<>();
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] data = new byte[256 * 1024];
        new Random(i).nextBytes(data);
        sent.add(data);
        AgentClient c = env.connect("bulk" + i);
        results.add(
            c.connect(Net.KIND_TCP, env.cluster.echoIp(), Cluster.ECHO_PORT)
                .compose(s -> echo(s, data)));
      }
      for (int i = 0; i < results.size(); i++) {
        assertArrayEquals(
            sent.get(i), Await.result(results.get(i), Duration.ofSeconds(60)).getBytes());
      }
    }
  }
}
