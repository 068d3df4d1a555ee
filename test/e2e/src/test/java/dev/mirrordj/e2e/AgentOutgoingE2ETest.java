package dev.mirrordj.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Net;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.OutgoingStream;
import dev.mirrordj.protocol.client.RemoteErrnoException;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: outgoing TCP reaches the cluster-only echo service, 1 MiB both ways byte-exact,
 * half-close honoured; UDP round trip; a unix socket inside the pod's root.
 */
class AgentOutgoingE2ETest {
  /**
   * In the pod: reads until EOF, then answers "<bytes> <sha256>" — only possible if our FIN arrived
   * and reading still works.
   */
  private static final String DIGEST_SERVER =
      String.join(
          "\n",
          "import hashlib, os, socket, sys",
          "kind = sys.argv[1]",
          "if kind == 'unix':",
          "    s = socket.socket(socket.AF_UNIX); s.bind('/tmp/app.sock')",
          "else:",
          "    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', 9000))",
          "s.listen(16)",
          "while True:",
          "    c, _ = s.accept(); h = hashlib.sha256(); n = 0",
          "    while True:",
          "        d = c.recv(65536)",
          "        if not d: break",
          "        h.update(d); n += len(d)",
          "    c.sendall(('%d %s\\n' % (n, h.hexdigest())).encode()); c.close()",
          "");

  private static PodAgent env;
  private static AgentClient client;

  @BeforeAll
  static void up() throws Exception {
    env = PodAgent.start();
    client = env.connect("outgoing");
    java.nio.file.Path script = env.cluster.stage().resolve("digest.py");
    java.nio.file.Files.writeString(script, DIGEST_SERVER);
    // the pod's root has the host's /usr but a private /tmp: hand the script over on stdin instead
    for (String kind : List.of("tcp", "unix")) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  List.of(
                      "/usr/bin/nsenter",
                      "-t",
                      Long.toString(env.pod.pid()),
                      "-n",
                      "-m",
                      "-u",
                      "-r",
                      "-w",
                      "--",
                      "python3",
                      "-",
                      kind))
              .redirectInput(script.toFile())
              .redirectErrorStream(true)
              .redirectOutput(env.cluster.stage().resolve("digest-" + kind + ".log").toFile());
      pb.start();
    }
    env.pod.awaitListening(9000, Duration.ofSeconds(20));
    dev.mirrordj.harness.Poll.until(
        "unix socket in the pod",
        Duration.ofSeconds(20),
        () -> java.nio.file.Files.exists(env.pod.root().resolve("tmp/app.sock")));
  }

  @AfterAll
  static void down() {
    if (env != null) {
      env.close();
    }
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void tcpToTheClusterOnlyEchoServiceOneMebibyteBothWaysByteExact() throws Exception {
    byte[] data = random(1 << 20, 7);
    OutgoingStream stream =
        Await.result(client.connect(Net.KIND_TCP, env.cluster.echoIp(), Cluster.ECHO_PORT));
    assertEquals(env.cluster.echoIp(), stream.info().remoteHost());
    assertEquals(
        env.pod.ip(), stream.info().localHost(), "the connection leaves from the pod's address");
    StreamResult result = new StreamResult(stream);
    Await.result(stream.write(Buffer.buffer(data)));
    stream.shutdown();
    Buffer back = result.ended.get(60, TimeUnit.SECONDS);
    assertArrayEquals(data, back.getBytes());
  }

  @Test
  void tcpOverIpv6ToTheClusterEchoService() throws Exception {
    byte[] data = random(70_000, 11);
    OutgoingStream stream =
        Await.result(client.connect(Net.KIND_TCP, env.cluster.echoIp6(), Cluster.ECHO_PORT));
    StreamResult result = new StreamResult(stream);
    Await.result(stream.write(Buffer.buffer(data)));
    stream.shutdown();
    assertArrayEquals(data, result.ended.get(30, TimeUnit.SECONDS).getBytes());
  }

  @Test
  void halfCloseIsHonouredTheServerSeesEofAndWeStillRead() throws Exception {
    byte[] data = random(3 * 65536 + 123, 8);
    OutgoingStream stream = Await.result(client.connect(Net.KIND_TCP, "127.0.0.1", 9000));
    StreamResult result = new StreamResult(stream);
    Await.result(stream.write(Buffer.buffer(data)));
    stream.shutdown();
    String reply = result.ended.get(30, TimeUnit.SECONDS).toString();
    assertEquals(
        data.length
            + " "
            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data))
            + "\n",
        reply);
  }

  @Test
  void udpRoundTrip() {
    OutgoingStream stream =
        Await.result(client.connect(Net.KIND_UDP, env.cluster.echoIp(), Cluster.ECHO_PORT));
    StreamResult result = new StreamResult(stream);
    Await.result(stream.write(Buffer.buffer("datagram-1")));
    assertEquals("datagram-1", result.awaitBytes(10, Duration.ofSeconds(10)).toString());
    Await.result(stream.write(Buffer.buffer("datagram-2")));
    assertEquals("datagram-1datagram-2", result.awaitBytes(20, Duration.ofSeconds(10)).toString());
    stream.close();
  }

  @Test
  void unixStreamSocketInsideThePodsRoot() throws Exception {
    byte[] data = random(100_000, 9);
    OutgoingStream stream = Await.result(client.connect(Net.KIND_UNIX, "/tmp/app.sock", 0));
    StreamResult result = new StreamResult(stream);
    Await.result(stream.write(Buffer.buffer(data)));
    stream.shutdown();
    String reply = result.ended.get(30, TimeUnit.SECONDS).toString();
    assertEquals(
        data.length
            + " "
            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data))
            + "\n",
        reply);
  }

  @Test
  void aRefusedConnectionReportsEconnrefused() {
    RemoteErrnoException refused =
        assertInstanceOf(
            RemoteErrnoException.class,
            Await.failure(client.connect(Net.KIND_TCP, env.cluster.echoIp(), 4444)));
    assertEquals(Errno.ECONNREFUSED, refused.errno(), refused.getMessage());
  }

  @Test
  void aMissingUnixSocketIsEnoentAsConnectReportsIt() {
    RemoteErrnoException noUnix =
        assertInstanceOf(
            RemoteErrnoException.class,
            Await.failure(client.connect(Net.KIND_UNIX, "/tmp/no-such.sock", 0)));
    assertEquals(Errno.ENOENT, noUnix.errno(), noUnix.getMessage());
  }
}
