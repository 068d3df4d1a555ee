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
 * `run` with the real agent on a harness pod: real programs (python3, node, curl, bash with cat and
 * pipes, a C program, java) see the pod's environment, files, DNS, hostname and cluster-only
 * services over TCP and UDP.
 */
class RunOnPodE2ETest {
  static final Path FAT_JAR = MirrordRun.FAT_JAR;
  @TempDir static Path work;
  static Cluster cluster;
  static Pod pod;
  static AgentProcess agent;
  static Path config;

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    cluster = Cluster.start();
    pod =
        cluster.addPod(
            PodSpec.named("app")
                .hostname("app-pod-1")
                .env("POD_GREETING", "hello from the pod")
                .file("/app/data.txt", "pod data\n")
                .file("/app/dir/a.txt", "a")
                .file("/app/dir/b.txt", "b"));
    agent =
        AgentProcess.start(
            FAT_JAR,
            Duration.ofSeconds(60),
            "--target-pid",
            Long.toString(pod.pid()),
            "--idle-ttl",
            "600");
    config = work.resolve("mirrord.json");
    Files.writeString(
        config,
        "{\"connect_tcp\": \"127.0.0.1:"
            + agent.port()
            + "\","
            + " \"experimental\": {\"tcp_ping4_mock\": false},"
            + " \"feature\": {\"env\": {\"include\": \"POD_*\"}, \"fs\": {\"mode\": \"write\"}}}");
  }

  @AfterAll
  static void stop() {
    if (agent != null) agent.close();
    if (cluster != null) cluster.close();
  }

  static MirrordRun.Result run(Path cfg, String... program) throws Exception {
    return MirrordRun.run(work, cfg, program);
  }

  static void assertLines(MirrordRun.Result r, String... expected) {
    for (String e : expected)
      assertTrue(
          r.lines().contains(e), "missing '" + e + "'\nout:\n" + r.out() + "\nerr:\n" + r.err());
    assertEquals(0, r.exit(), r.err());
  }

  static final String ECHO = Cluster.ECHO_NAME;

  @Test
  void python() throws Exception {
    MirrordRun.Result r =
        run(
            config,
            "/usr/bin/python3",
            "-c",
            String.join(
                "\n",
                "import os, socket",
                "print('env=' + os.environ.get('POD_GREETING', 'none'))",
                "print('file=' + open('/app/data.txt').read().strip())",
                "print('dir=' + ','.join(sorted(os.listdir('/app/dir'))))",
                "ip = socket.gethostbyname('" + ECHO + "')",
                "print('dns=' + ip)",
                "s = socket.create_connection((ip, 7), timeout=10); s.sendall(b'tcp-ping'); print('tcp=' + s.recv(64).decode()); s.close()",
                "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(10); u.sendto(b'udp-ping', (ip, 7))",
                "print('udp=' + u.recvfrom(64)[0].decode())",
                "print('host=' + socket.gethostname())"));
    assertLines(
        r,
        "env=hello from the pod",
        "file=pod data",
        "dir=a.txt,b.txt",
        "dns=" + cluster.echoIp(),
        "tcp=tcp-ping",
        "udp=udp-ping",
        "host=app-pod-1");
  }

  @Test
  void node() throws Exception {
    MirrordRun.Result r =
        run(
            config,
            "node",
            "-e",
            String.join(
                "\n",
                "const fs = require('fs'), net = require('net'), dgram = require('dgram'), dns = require('dns'), os = require('os');",
                "console.log('env=' + process.env.POD_GREETING);",
                "console.log('file=' + fs.readFileSync('/app/data.txt', 'utf8').trim());",
                "console.log('dir=' + fs.readdirSync('/app/dir').sort().join(','));",
                "console.log('host=' + os.hostname());",
                "dns.lookup('" + ECHO + "', {family: 4}, (e, ip) => {",
                "  console.log('dns=' + ip);",
                "  const s = net.connect(7, ip, () => s.write('tcp-ping'));",
                "  s.on('data', d => { console.log('tcp=' + d); s.end();",
                "    const u = dgram.createSocket('udp4'); u.on('message', m => { console.log('udp=' + m); u.close(); }); u.send('udp-ping', 7, ip); });",
                "});"));
    assertLines(
        r,
        "env=hello from the pod",
        "file=pod data",
        "dir=a.txt,b.txt",
        "host=app-pod-1",
        "dns=" + cluster.echoIp(),
        "tcp=tcp-ping",
        "udp=udp-ping");
  }

  @Test
  void curl() throws Exception {
    MirrordRun.Result r =
        run(config, "curl", "-sS", "--max-time", "20", "http://" + Cluster.HTTP_NAME + "/");
    assertEquals(Cluster.HTTP_BODY, r.out(), r.err());
  }

  @Test
  void bashCatPipesAndAForkedChild() throws Exception {
    MirrordRun.Result r =
        run(
            config,
            "bash",
            "-c",
            "echo \"env=$POD_GREETING\"; echo \"file=$(cat /app/data.txt | tr a-z A-Z)\";"
                + " (cat /app/data.txt | wc -c | sed 's/^/bytes=/') ; echo \"host=$(hostname)\"; exec 3<>/dev/tcp/"
                + ECHO
                + "/7;"
                + " echo tcp-ping >&3; read -r line <&3; echo \"tcp=$line\";"
                + " exec 4<>/dev/udp/"
                + ECHO
                + "/7; printf udp-ping >&4;"
                // bash's read takes one byte per read(2), which on a datagram socket drops the rest
                + " echo \"udp=$(timeout 10 dd bs=64 count=1 <&4 2>/dev/null)\"");
    assertLines(
        r,
        "env=hello from the pod",
        "file=POD DATA",
        "bytes=9",
        "host=app-pod-1",
        "tcp=tcp-ping",
        "udp=udp-ping");
  }

  @Test
  void writeModeRoundTripIsVisibleInThePod() throws Exception {
    MirrordRun.Result r =
        run(config, "/usr/bin/python3", "-c", "open('/app/written.txt', 'w').write('from local')");
    assertEquals(0, r.exit(), r.err());
    assertEquals("from local", pod.exec("cat", "/app/written.txt").stdout());
  }

  @Test
  void cProgram() throws Exception {
    Path src = work.resolve("probe.c");
    Files.writeString(
        src,
        String.join(
            "\n",
            "#include <stdio.h>",
            "#include <stdlib.h>",
            "#include <netdb.h>",
            "#include <arpa/inet.h>",
            "#include <unistd.h>",
            "#include <sys/socket.h>",
            "#include <sys/time.h>",
            "int main(void) {",
            "  char b[256]; FILE *f = fopen(\"/app/data.txt\", \"r\"); if (f && fgets(b, sizeof b, f)) printf(\"file=%s\", b);",
            "  printf(\"env=%s\\n\", getenv(\"POD_GREETING\") ? getenv(\"POD_GREETING\") : \"none\");",
            "  struct addrinfo h = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res;",
            "  if (getaddrinfo(\"" + ECHO + "\", \"7\", &h, &res) == 0) {",
            "    char ip[64]; inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, ip, sizeof ip); printf(\"dns=%s\\n\", ip);",
            "    int s = socket(AF_INET, SOCK_STREAM, 0);",
            "    if (connect(s, res->ai_addr, res->ai_addrlen) == 0) { write(s, \"tcp-ping\", 8); int n = read(s, b, 8); if (n > 0) printf(\"tcp=%.*s\\n\", n, b); }",
            "    int u = socket(AF_INET, SOCK_DGRAM, 0); struct timeval tv = { 10, 0 }; setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);",
            "    if (sendto(u, \"udp-ping\", 8, 0, res->ai_addr, res->ai_addrlen) == 8) { int n = recvfrom(u, b, 8, 0, NULL, NULL); if (n > 0) printf(\"udp=%.*s\\n\", n, b); }",
            "  }",
            "  gethostname(b, sizeof b); printf(\"host=%s\\n\", b); return 0; }",
            ""));
    Path bin = work.resolve("probe");
    assertEquals(
        0,
        new ProcessBuilder("gcc", "-o", bin.toString(), src.toString())
            .inheritIO()
            .start()
            .waitFor());
    assertLines(
        run(config, bin.toString()),
        "file=pod data",
        "env=hello from the pod",
        "dns=" + cluster.echoIp(),
        "tcp=tcp-ping",
        "udp=udp-ping",
        "host=app-pod-1");
  }

  @Test
  void exitCodesAndSignalsPassThrough() throws Exception {
    assertEquals(42, run(config, "sh", "-c", "exit 42").exit());
    assertEquals(128 + 9, run(config, "sh", "-c", "kill -KILL $$").exit());
  }

  @Test
  void pidTargetStartsALocalAgentItself() throws Exception {
    Path cfg = work.resolve("pid.json");
    Files.writeString(
        cfg,
        "{\"target\": \"pid/"
            + pod.pid()
            + "\", \"feature\": {\"env\": {\"include\": \"POD_*\"}}}");
    MirrordRun.Result r = run(cfg, "bash", "-c", "echo \"env=$POD_GREETING\"; cat /app/data.txt");
    assertEquals(List.of("env=hello from the pod", "pod data"), r.lines(), r.err());
  }

  @Test
  void agentKilledMidRunFailsLoudlyWithinSeconds() throws Exception {
    try (AgentProcess doomed =
        AgentProcess.start(
            FAT_JAR, Duration.ofSeconds(60), "--target-pid", Long.toString(pod.pid()))) {
      Path cfg = work.resolve("doomed.json");
      Files.writeString(cfg, "{\"connect_tcp\": \"127.0.0.1:" + doomed.port() + "\"}");
      Path go = work.resolve("go");
      Thread killer =
          new Thread(
              () -> {
                try {
                  long deadline = System.nanoTime() + 60_000_000_000L;
                  while (!Files.exists(go) && System.nanoTime() < deadline) Thread.sleep(20);
                  doomed.close();
                } catch (RuntimeException | InterruptedException ignored) {
                  // the assertion below reports what happened
                }
              });
      killer.start();
      MirrordRun.Result r =
          run(
              cfg,
              "/usr/bin/python3",
              "-c",
              String.join(
                  "\n",
                  "import time, errno",
                  "print(open('/app/data.txt').read().strip())",
                  "open('" + go + "', 'w').close()",
                  "deadline = time.time() + 30",
                  "while time.time() < deadline:",
                  "    try:",
                  "        open('/app/data.txt').read()",
                  "    except OSError as e:",
                  "        print('after=' + errno.errorcode[e.errno]); break",
                  "    time.sleep(0.1)"));
      killer.join();
      assertEquals(List.of("pod data", "after=EIO"), r.lines(), r.err());
      assertTrue(r.err().contains("lost the connection to the agent"), r.err());
    }
  }
}
