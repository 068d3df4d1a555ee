package dev.mirrordj.agent;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.Net;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.OutgoingStream;
import dev.mirrordj.protocol.client.RemoteErrnoException;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target with its own network and UTS namespaces and a chroot (fake_pod.py), without the pod
 * harness: the agent must serve its files, env, hostname, DNS and loopback services, none of which
 * exist for the host.
 */
@Timeout(60)
class PodTargetTest {
  @TempDir static Path root;
  static Process pod;
  static AgentHarness h;
  static AgentClient c;

  @BeforeAll
  static void startPod() throws Exception {
    RootOnly.require();
    java.nio.file.Files.createDirectories(root.resolve("etc"));
    java.nio.file.Files.createDirectories(root.resolve("run"));
    java.nio.file.Files.createDirectories(root.resolve("data"));
    java.nio.file.Files.writeString(root.resolve("etc/hostname"), "file-says-other\n");
    java.nio.file.Files.writeString(root.resolve("etc/secret"), "pod secret\n");
    java.nio.file.Files.writeString(
        root.resolve("etc/hosts"), "10.250.0.7 cluster-svc.pod.local cluster-svc\n");
    java.nio.file.Files.writeString(
        root.resolve("etc/resolv.conf"),
        "nameserver 127.0.0.1\nsearch pod.local\noptions ndots:2 timeout:2 attempts:1\n");
    java.nio.file.Files.writeString(root.resolve("data/pod-only.txt"), "only in the pod");
    java.nio.file.Files.createSymbolicLink(root.resolve("data/abs-link"), Path.of("/etc/secret"));
    java.nio.file.Files.createSymbolicLink(
        root.resolve("data/escape"), Path.of("../../../../../../../etc/passwd"));
    Path script = root.resolveSibling(root.getFileName() + "-fake_pod.py");
    try (var in = PodTargetTest.class.getResourceAsStream("/fake_pod.py")) {
      java.nio.file.Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    ProcessBuilder pb =
        new ProcessBuilder(
            "unshare",
            "--net",
            "--uts",
            "sh",
            "-c",
            "ip link set lo up && exec python3 \"$0\" \"$1\"",
            script.toString(),
            root.toString());
    pb.environment().clear();
    pb.environment()
        .putAll(
            Map.of(
                "POD_ONLY",
                "pod-value",
                "POD_OTHER",
                "x",
                "PATH",
                "/usr/bin:/bin",
                "HOME",
                "/root"));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    pod = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(pod.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("ready", out.readLine(), "fake pod did not start");
    h = new AgentHarness();
    c = h.connect(h.start(pod.pid(), Duration.ofSeconds(30), Duration.ofSeconds(30)));
  }

  @AfterAll
  static void stopPod() throws Exception {
    if (h != null) {
      h.close();
    }
    if (pod != null) {
      pod.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void readsPodFilesAndFollowsLinksInsideTheRoot() {
    assertEquals("only in the pod", c.fetchFile("/data/pod-only.txt").await().toString());
    assertEquals(
        "pod secret\n",
        c.fetchFile("/data/abs-link").await().toString(),
        "absolute link resolves in the pod root");
    assertEquals(
        "file-says-other\n",
        c.fetchFile("/../../../../etc/hostname").await().toString(),
        ".. stops at the root");
    RemoteErrnoException escaped =
        assertThrows(RemoteErrnoException.class, () -> c.fetchFile("/data/escape").await());
    assertEquals(
        Errno.ENOENT, escaped.errno(), "a link climbing out of the root finds nothing outside");
    assertFalse(c.hello().targetless());
  }

  @Test
  void environmentIsThePodsMinusDefaultExclusions() {
    Map<String, String> env =
        c.request(new Lookups.GetEnv(List.of(), List.of("POD_OTH?R")), Lookups.EnvReply.class)
            .await()
            .vars();
    assertEquals(Map.of("POD_ONLY", "pod-value"), env);
  }

  @Test
  void hostnameComesFromThePodsUtsNamespace() {
    assertEquals(
        "fake-pod-7f9c",
        c.request(new Lookups.GetHostname(), Lookups.NameReply.class).await().name());
  }

  @Test
  void dnsUsesThePodsHostsResolvConfAndNameserver() {
    Lookups.AddrInfoReply hosts =
        c.request(new Lookups.Resolve("cluster-svc.pod.local", 0, 1), Lookups.AddrInfoReply.class)
            .await();
    assertEquals(Lookups.EAI_OK, hosts.status());
    assertArrayEquals(new byte[] {10, (byte) 250, 0, 7}, hosts.records().get(0).address());
    Lookups.AddrInfoReply viaSearch =
        c.request(new Lookups.Resolve("known", 4, 0), Lookups.AddrInfoReply.class).await();
    assertEquals(Lookups.EAI_OK, viaSearch.status(), "search domain pod.local applied");
    assertEquals("known.pod.local", viaSearch.canonicalName());
    assertArrayEquals(new byte[] {10, (byte) 250, 0, 9}, viaSearch.records().get(0).address());
    assertEquals(2, viaSearch.records().size(), "stream and datagram record for socktype any");
    Lookups.AddrInfoReply nx =
        c.request(new Lookups.Resolve("missing.pod.local", 0, 1), Lookups.AddrInfoReply.class)
            .await();
    assertEquals(Errno.EAI_NONAME, nx.status(), "NXDOMAIN is an answer");
    Lookups.AddrInfoReply many =
        c.request(new Lookups.Resolve("many.pod.local", 4, 1), Lookups.AddrInfoReply.class).await();
    assertEquals(Lookups.EAI_OK, many.status(), "a truncated UDP answer is asked again over TCP");
    assertEquals(
        List.of("10.250.1.1", "10.250.1.2", "10.250.1.3"),
        many.records().stream()
            .map(
                r ->
                    r.address()[0]
                        + "."
                        + (r.address()[1] & 0xff)
                        + "."
                        + r.address()[2]
                        + "."
                        + r.address()[3])
            .toList());
  }

  @Test
  void outgoingTcpUdpAndUnixReachThePodsOwnLoopback() throws Exception {
    OutgoingStream tcp = c.connect(Net.KIND_TCP, "127.0.0.1", 7777).await();
    byte[] payload = new byte[1 << 20];
    new Random(5).nextBytes(payload);
    assertArrayEquals(payload, roundTrip(tcp, Buffer.buffer(payload)).getBytes());

    OutgoingStream udp = c.connect(Net.KIND_UDP, "127.0.0.1", 7778).await();
    Promise<Buffer> dgram = Promise.promise();
    udp.handler(dgram::tryComplete);
    udp.write(Buffer.buffer("ping"));
    assertEquals("pod:ping", dgram.future().await().toString());
    udp.close();

    OutgoingStream unix = c.connect(Net.KIND_UNIX, "/run/echo.sock", 0).await();
    assertEquals("over unix", roundTrip(unix, Buffer.buffer("over unix")).toString());

    String longPath = "/run/" + "d".repeat(75) + "/long-echo.sock";
    assertTrue(
        ("/proc/" + pod.pid() + "/root" + longPath).length() > 107,
        "the host path exceeds sun_path");
    OutgoingStream longUnix = c.connect(Net.KIND_UNIX, longPath, 0).await();
    assertEquals("long path", roundTrip(longUnix, Buffer.buffer("long path")).toString());

    RemoteErrnoException refused =
        assertThrows(
            RemoteErrnoException.class, () -> c.connect(Net.KIND_TCP, "127.0.0.1", 7779).await());
    assertEquals(Errno.ECONNREFUSED, refused.errno());
  }

  private static Buffer roundTrip(OutgoingStream s, Buffer data) {
    Buffer got = Buffer.buffer();
    Promise<Void> ended = Promise.promise();
    s.handler(got::appendBuffer).endHandler(v -> ended.tryComplete());
    s.write(data);
    s.shutdown();
    ended.future().await();
    return got;
  }
}
