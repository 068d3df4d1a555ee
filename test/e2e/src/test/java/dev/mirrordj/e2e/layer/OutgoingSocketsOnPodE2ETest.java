package dev.mirrordj.e2e.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Poll;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outgoing sockets routed to the pod, with the real agent on a harness pod: a non-blocking connect
 * returns before the pod side is up (the pod's SYNs are held back by a DROP rule until the program
 * has shown its connect returned), a refused pod side shows as a reset/refusal on the socket, and
 * getpeername/getsockname show the requested peer and the pod-side local address, not the
 * interceptor.
 */
class OutgoingSocketsOnPodE2ETest {
  @TempDir static Path work;
  static Cluster cluster;
  static Pod pod;
  static AgentProcess agent;
  static Path config;

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    cluster = Cluster.start();
    pod = cluster.addPod(PodSpec.named("net").hostname("net-pod-1"));
    agent =
        AgentProcess.start(
            MirrordRun.FAT_JAR,
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
            + "\", \"experimental\": {\"tcp_ping4_mock\": false}}");
  }

  @AfterAll
  static void stop() {
    if (agent != null) agent.close();
    if (cluster != null) cluster.close();
  }

  /** Runs iptables in the pod's network namespace only (the agent connects from there). */
  static String podIptables(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("nsenter", "-t", Long.toString(pod.pid()), "-n", "iptables"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), "iptables " + String.join(" ", args) + ": " + out);
    return out;
  }

  /** Packets the pod's DROP rule for port 7 has dropped so far (the agent's SYNs). */
  static long droppedSyns() {
    try {
      return podIptables("-L", "OUTPUT", "-v", "-n", "-x")
          .lines()
          .filter(l -> l.contains("DROP") && l.contains("dpt:7"))
          .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[0]))
          .sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void pythonWithTimeoutConnectsBeforeThePodSideIsUp() throws Exception {
    String[] gate = {
      "OUTPUT", "-p", "tcp", "-d", cluster.echoIp(), "--dport", "7", "--syn", "-j", "DROP"
    };
    podIptables(prepend("-I", gate));
    boolean gateClosed = true;
    try {
      MirrordRun.Running running =
          MirrordRun.start(
              work,
              config,
              "python3",
              "-c",
              String.join(
                  "\n",
                  "import socket",
                  "s = socket.socket()",
                  "s.settimeout(60)", // python then uses O_NONBLOCK + poll: the real user of
                  // EINPROGRESS
                  "s.connect(('" + cluster.echoIp() + "', 7))",
                  "print('connected peer=%s:%d' % s.getpeername(), flush=True)",
                  "s.sendall(b'gated-ping')",
                  "print('reply=' + s.recv(64).decode(), flush=True)",
                  "print('local=' + s.getsockname()[0])"));
      Poll.until(
          "the program's connect to return",
          Duration.ofSeconds(60),
          () -> {
            try {
              return running.outSoFar().contains("connected") || !running.process().isAlive();
            } catch (java.io.IOException e) {
              return false;
            }
          });
      // the agent has tried and its SYN was dropped: the pod side cannot be up while the rule stays
      Poll.until("the agent's SYN to be dropped", Duration.ofSeconds(30), () -> droppedSyns() > 0);
      String early = running.outSoFar();
      assertTrue(
          early.contains("connected peer=" + cluster.echoIp() + ":7"),
          early + Files.readString(running.err()));
      assertFalse(early.contains("reply="), early);
      podIptables(prepend("-D", gate));
      gateClosed = false;
      MirrordRun.Result r = running.await();
      assertEquals(0, r.exit(), r.out() + r.err());
      assertTrue(r.lines().contains("reply=gated-ping"), r.out() + r.err());
      assertTrue(r.lines().contains("local=" + pod.ip()), r.out() + r.err());
    } finally {
      if (gateClosed) podIptables(prepend("-D", gate));
    }
  }

  @Test
  void pythonRefusedPodSideIsAnErrorOnTheSocketAndBlockingSocketsShowPodAddresses()
      throws Exception {
    MirrordRun.Result r =
        MirrordRun.run(
            work,
            config,
            "python3",
            "-c",
            String.join(
                "\n",
                "import socket, errno",
                "def attempt(label, timeout):",
                "    s = socket.socket()",
                "    s.settimeout(timeout)",
                "    try:",
                "        s.connect(('" + cluster.echoIp() + "', 1))",
                "        s.sendall(b'x')",
                "        print(label + '=got %r' % s.recv(16))",
                "    except OSError as e:",
                "        print(label + '=' + errno.errorcode.get(e.errno, str(e.errno)))",
                "attempt('nonblocking', 30)",
                "attempt('blocking', None)",
                "b = socket.create_connection(('" + cluster.echoIp() + "', 7))",
                "print('peer=%s:%d' % b.getpeername())",
                "print('local=' + b.getsockname()[0])",
                "b.sendall(b'ping'); print('echo=' + b.recv(16).decode())"));
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.lines();
    // non-blocking: the connect itself succeeds (to the interceptor), the refusal arrives as a
    // reset
    assertTrue(lines.contains("nonblocking=ECONNRESET"), r.out() + r.err());
    assertTrue(lines.contains("blocking=ECONNREFUSED"), r.out() + r.err());
    assertTrue(
        lines.containsAll(
            List.of("peer=" + cluster.echoIp() + ":7", "local=" + pod.ip(), "echo=ping")),
        r.out() + r.err());
  }

  @Test
  void nodeHttpGetSeesPodAddressesAndARefusalAsAnError() throws Exception {
    MirrordRun.Result r =
        MirrordRun.run(
            work,
            config,
            "node",
            "-e",
            String.join(
                "\n",
                "const http = require('http');",
                "http.get('http://" + Cluster.HTTP_NAME + "/', res => {",
                "  console.log('peer=' + res.socket.remoteAddress + ':' + res.socket.remotePort);",
                "  console.log('local=' + res.socket.localAddress);",
                "  let body = ''; res.on('data', d => body += d);",
                "  res.on('end', () => {",
                "    console.log('status=' + res.statusCode + ' body=' + body.trim());",
                "    http.get({host: '"
                    + cluster.echoIp()
                    + "', port: 1, agent: false}, () => console.log('refused=no'))",
                "      .on('error', e => console.log('refused=' + e.code));",
                "  });",
                "});"));
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.lines();
    assertTrue(
        lines.containsAll(
            List.of(
                "peer=" + cluster.httpIp() + ":80",
                "local=" + pod.ip(),
                "status=200 body=" + Cluster.HTTP_BODY.trim())),
        r.out() + r.err());
    assertTrue(lines.contains("refused=ECONNRESET"), r.out() + r.err());
  }

  @Test
  void curlReportsTheRequestedPeerAndThePodSideLocalAddress() throws Exception {
    MirrordRun.Result r =
        MirrordRun.run(
            work,
            config,
            "curl",
            "-sS",
            "--max-time",
            "20",
            "-o",
            "/dev/null",
            "-w",
            "%{remote_ip} %{remote_port} %{local_ip}",
            "http://" + Cluster.HTTP_NAME + "/");
    assertEquals(cluster.httpIp() + " 80 " + pod.ip(), r.out(), r.err());
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
