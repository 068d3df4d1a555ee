package dev.mirrordj.e2e.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration options of `run` against the real agent on a harness pod: fs modes and pattern
 * lists, outgoing filters and ignore_localhost, DNS and hostname off, skip_processes, env
 * include/exclude/override/unset, and a Java client.
 */
class RunOptionsOnPodE2ETest {
  @TempDir static Path work;
  static Cluster cluster;
  static Pod pod;
  static AgentProcess agent;

  @BeforeAll
  static void start() {
    Root.requireRoot();
    cluster = Cluster.start();
    pod =
        cluster.addPod(
            PodSpec.named("opts")
                .hostname("opts-pod")
                .env("APP_MODE", "prod")
                .env("APP_SECRET", "s3cret")
                .env("OTHER", "x")
                .file("/app/data.txt", "pod data\n")
                .file("/app/ro/conf.txt", "read only\n")
                .file("/app/secret.txt", "hidden\n")
                .httpServer(80, "pod local http\n"));
    agent =
        AgentProcess.start(
            MirrordRun.FAT_JAR,
            Duration.ofSeconds(60),
            "--target-pid",
            Long.toString(pod.pid()),
            "--idle-ttl",
            "600");
  }

  @AfterAll
  static void stop() {
    if (agent != null) agent.close();
    if (cluster != null) cluster.close();
  }

  static Path config(String name, String json) throws Exception {
    Path cfg = work.resolve(name + ".json");
    String body = json.isEmpty() ? "" : ", " + json;
    Files.writeString(
        cfg,
        "{\"connect_tcp\": \"127.0.0.1:"
            + agent.port()
            + "\", \"experimental\": {\"tcp_ping4_mock\": false}"
            + body
            + "}");
    return cfg;
  }

  static MirrordRun.Result python(Path cfg, String... lines) throws Exception {
    return MirrordRun.run(work, cfg, "/usr/bin/python3", "-c", String.join("\n", lines));
  }

  static final String PROBE =
      String.join(
          "\n",
          "import errno, socket",
          "def probe(label, fn):",
          "    try:",
          "        print(label + '=' + str(fn()))",
          "    except OSError as e:",
          "        print(label + '=' + (errno.errorcode.get(e.errno) or type(e).__name__))",
          "def tcp(host, port):",
          "    s = socket.create_connection((host, port), timeout=5); s.sendall(b'ping'); r = s.recv(16).decode(); s.close(); return r",
          "");

  @Test
  void fsPatternListsAndModes() throws Exception {
    Path cfg =
        config(
            "fs",
            "\"feature\": {\"fs\": {\"mode\": \"read\", \"read_only\": \"^/APP/RO\", \"not_found\": [\"secret\"],"
                + " \"local\": [\"^/app/data\"]}}");
    MirrordRun.Result r =
        python(
            cfg,
            PROBE,
            "probe('ro-read', lambda: open('/app/ro/conf.txt').read().strip())",
            "probe('ro-write', lambda: open('/app/ro/conf.txt', 'w'))",
            "probe('secret', lambda: open('/app/secret.txt').read())",
            "probe('local', lambda: open('/app/data.txt').read())",
            "probe('read-mode-write', lambda: open('/app/new.txt', 'w'))");
    assertEquals(
        List.of(
            "ro-read=read only",
            "ro-write=ENOENT",
            "secret=ENOENT",
            "local=ENOENT",
            "read-mode-write=ENOENT"),
        r.lines(),
        r.err());
    assertEquals("read only\n", pod.exec("cat", "/app/ro/conf.txt").stdout());
  }

  @Test
  void localWithOverridesReadsPodResolvConfOnly() throws Exception {
    Path cfg = config("lwo", "\"feature\": {\"fs\": \"localwithoverrides\"}");
    MirrordRun.Result r =
        python(
            cfg,
            PROBE,
            "probe('app', lambda: open('/app/data.txt').read())",
            "probe('resolv', lambda: 'svc.cluster.local' in open('/etc/resolv.conf').read())");
    assertEquals(List.of("app=ENOENT", "resolv=True"), r.lines(), r.err());
  }

  @Test
  void outgoingLocalFilterAndIgnoreLocalhost() throws Exception {
    Path filtered =
        config(
            "filter",
            "\"feature\": {\"network\": {\"outgoing\": {\"filter\": {\"local\": [\"tcp://"
                + cluster.echoIp()
                + ":7\"]}}}}");
    MirrordRun.Result r =
        python(
            filtered,
            PROBE,
            "probe('echo-local', lambda: tcp('" + cluster.echoIp() + "', 7))",
            "probe('pod-localhost', lambda: __import__('urllib.request').request.urlopen('http://127.0.0.1:80/', timeout=5).read().decode().strip())");
    assertEquals(
        List.of("echo-local=EHOSTUNREACH", "pod-localhost=pod local http"),
        r.lines().subList(0, 2),
        r.err());

    Path ignoring =
        config(
            "ignore", "\"feature\": {\"network\": {\"outgoing\": {\"ignore_localhost\": true}}}");
    MirrordRun.Result i =
        python(
            ignoring,
            PROBE,
            "probe('pod-localhost', lambda: __import__('urllib.request').request.urlopen('http://127.0.0.1:80/', timeout=5).read())",
            "probe('echo', lambda: tcp('" + cluster.echoIp() + "', 7))");
    assertEquals(List.of("pod-localhost=URLError", "echo=ping"), i.lines(), i.err());
  }

  @Test
  void dnsAndHostnameOff() throws Exception {
    Path cfg = config("names", "\"feature\": {\"hostname\": false, \"network\": {\"dns\": false}}");
    MirrordRun.Result r =
        python(
            cfg,
            PROBE,
            "probe('dns', lambda: socket.gethostbyname('" + Cluster.ECHO_NAME + "'))",
            "print('host-is-local=' + str(socket.gethostname() == open('/proc/sys/kernel/hostname').read().strip()))");
    assertEquals(List.of("dns=gaierror", "host-is-local=True"), r.lines(), r.err());
  }

  @Test
  void envIncludeExcludeOverrideUnset() throws Exception {
    Path cfg =
        config(
            "env",
            "\"feature\": {\"env\": {\"include\": \"APP_*;OTHER\", \"exclude\": \"APP_SECRET\","
                + " \"override\": {\"OTHER\": \"overridden\"}, \"unset\": [\"app_mode\"]}}");
    MirrordRun.Result r =
        MirrordRun.run(
            work, cfg, "sh", "-c", "echo \"${APP_MODE:-unset}|${APP_SECRET:-excluded}|$OTHER\"");
    assertEquals("unset|excluded|overridden\n", r.out(), r.err());
  }

  @Test
  void skipProcessesLeavesThatProgramLocal() throws Exception {
    Path cfg = config("skip", "\"skip_processes\": \"cat\"");
    MirrordRun.Result r =
        MirrordRun.run(
            work,
            cfg,
            "bash",
            "-c",
            "head -n1 /app/data.txt; cat /app/data.txt 2>/dev/null || echo cat-is-local");
    assertEquals("pod data\ncat-is-local\n", r.out(), r.err());
  }

  @Test
  void unixStreamsMatchingThePatternReachThePodsSocket() throws Exception {
    Path log = work.resolve("socat.log");
    Process server =
        pod.start(List.of("socat", "UNIX-LISTEN:/tmp/bear.sock,fork", "EXEC:cat"), log.toFile());
    try {
      Path inPod = pod.root().resolve("tmp/bear.sock");
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!Files.exists(inPod) && System.nanoTime() < deadline) Thread.sleep(20);
      assertTrue(
          Files.exists(inPod), "socat did not create the pod's socket: " + Files.readString(log));
      Path cfg =
          config(
              "unix",
              "\"feature\": {\"network\": {\"outgoing\": {\"unix_streams\": \"bear\\\\.sock$\"}}}");
      MirrordRun.Result r =
          python(
              cfg,
              PROBE,
              "def unix(path):",
              "    c = socket.socket(socket.AF_UNIX); c.settimeout(5); c.connect(path); c.sendall(b'unix-ping'); r = c.recv(16).decode(); c.close(); return r",
              "probe('bear', lambda: unix('/tmp/bear.sock'))",
              "probe('other', lambda: unix('/tmp/other.sock'))");
      assertEquals(List.of("bear=unix-ping", "other=ENOENT"), r.lines(), r.err());
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void javaClient() throws Exception {
    Path src = work.resolve("Client.java");
    Files.writeString(
        src,
        String.join(
            "\n",
            "import java.net.*; import java.nio.file.*;",
            "public class Client { public static void main(String[] a) throws Exception {",
            "  System.out.println(\"file=\" + Files.readString(Path.of(\"/app/data.txt\")).trim());",
            "  System.out.println(\"env=\" + System.getenv(\"APP_MODE\"));",
            "  InetAddress ip = InetAddress.getByName(\"" + Cluster.ECHO_NAME + "\");",
            "  System.out.println(\"dns=\" + ip.getHostAddress());",
            "  try (Socket s = new Socket()) { s.connect(new InetSocketAddress(ip, 7), 5000);",
            "    s.getOutputStream().write(\"ping\".getBytes()); byte[] b = new byte[4]; int n = s.getInputStream().readNBytes(b, 0, 4);",
            "    System.out.println(\"tcp=\" + new String(b, 0, n)); }",
            "  try (DatagramSocket u = new DatagramSocket()) { u.setSoTimeout(10000); byte[] p = \"udp-ping\".getBytes();",
            "    u.send(new DatagramPacket(p, p.length, ip, 7)); DatagramPacket r = new DatagramPacket(new byte[64], 64); u.receive(r);",
            "    System.out.println(\"udp=\" + new String(r.getData(), 0, r.getLength())); }",
            "  System.out.println(\"host=\" + InetAddress.getLocalHost().getHostName());",
            "}}",
            ""));
    Path classes = Files.createDirectories(work.resolve("classes"));
    assertEquals(
        0,
        new ProcessBuilder("javac", "-d", classes.toString(), src.toString())
            .inheritIO()
            .start()
            .waitFor());
    MirrordRun.Result r =
        MirrordRun.run(work, config("java", ""), "java", "-cp", classes.toString(), "Client");
    assertEquals(
        List.of(
            "file=pod data",
            "env=prod",
            "dns=" + cluster.echoIp(),
            "tcp=ping",
            "udp=udp-ping",
            "host=opts-pod"),
        r.lines(),
        r.err());
    assertTrue(r.exit() == 0, r.err());
  }
}
