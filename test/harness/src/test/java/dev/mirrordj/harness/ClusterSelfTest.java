package dev.mirrordj.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The harness's promises, checked against the real namespaces it builds. */
class ClusterSelfTest {
  private static final String CONFIG = "{\"pod\":\"only\"}\n";
  private static Cluster cluster;
  private static Pod web;

  @BeforeAll
  static void up() {
    Root.requireRoot();
    cluster = Cluster.start();
    web =
        cluster.addPod(
            PodSpec.named("web")
                .hostname("web-7d9f")
                .env("POD_ONLY_VAR", "pod-value")
                .env("JAVA_HOME", "/pod/java")
                .file("/app/config.json", CONFIG)
                .file(
                    "/app/bin/tool.sh",
                    "#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8),
                    0750)
                .httpServer(8080, "hello from pod web\n"));
  }

  @AfterAll
  static void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void podSeesItsOwnFilesHostnameAndEnvTheHostDoesNot() throws IOException {
    assertEquals(CONFIG, web.exec("cat", "/app/config.json").requireOk().stdout());
    assertEquals("web-7d9f", web.exec("hostname").requireOk().stdout().strip());
    assertEquals("tool", web.exec("/app/bin/tool.sh").requireOk().stdout().strip());
    assertEquals("pod-value", web.exec("printenv", "POD_ONLY_VAR").requireOk().stdout().strip());
    String environ = Files.readString(Path.of("/proc", Long.toString(web.pid()), "environ"));
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    for (String kv : environ.split("\0")) {
      seen.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    assertEquals(web.env(), seen, "the main process's environment is exactly the pod's");
    assertEquals("pod-value", seen.get("POD_ONLY_VAR"));
    assertEquals("web-7d9f", seen.get("HOSTNAME"));

    assertFalse(Files.exists(Path.of("/app")), "host must not see the pod's /app");
    assertNotEquals("web-7d9f", Commands.check("hostname").stdout().strip());
    assertFalse(Files.readString(Path.of("/etc/resolv.conf")).contains(cluster.dnsIp()));
    assertNotEquals("pod-value", System.getenv("POD_ONLY_VAR"));
  }

  @Test
  void podFilesAreReadableThroughProcRootLikeAnAgentReadsThem() throws IOException {
    assertArrayEquals(
        CONFIG.getBytes(StandardCharsets.UTF_8),
        Files.readAllBytes(web.root().resolve("app/config.json")));
    String resolv = Files.readString(web.root().resolve("etc/resolv.conf"));
    assertTrue(resolv.contains("nameserver " + cluster.dnsIp()), resolv);
    assertTrue(
        resolv.contains("search default.svc.cluster.local svc.cluster.local cluster.local"),
        resolv);
    assertTrue(resolv.contains("options ndots:5"), resolv);
    assertEquals("web-7d9f\n", Files.readString(web.root().resolve("etc/hostname")));
    assertTrue(Files.readString(web.root().resolve("etc/hosts")).contains(web.ip() + "\tweb-7d9f"));
    assertEquals(
        "rwxr-x---",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(web.root().resolve("app/bin/tool.sh"))));
    assertEquals(5, web.files().size(), "3 /etc files + 2 declared: " + web.files().keySet());
  }

  @Test
  void clusterNamesResolveInsideThePodWithSearchDomainsAndUnknownNamesAreNxdomain() {
    assertTrue(
        web.exec("getent", "hosts", "echo")
            .requireOk()
            .stdout()
            .startsWith(cluster.echoIp() + " "));
    assertTrue(
        web.exec("getent", "hosts", Cluster.HTTP_NAME)
            .requireOk()
            .stdout()
            .startsWith(cluster.httpIp() + " "));
    assertTrue(web.exec("getent", "hosts", "web").requireOk().stdout().startsWith(web.ip() + " "));
    assertTrue(web.exec("getent", "hosts", cluster.echoIp()).requireOk().stdout().contains("echo"));
    ExecResult missing = web.exec("getent", "hosts", "no-such-service.default.svc.cluster.local");
    assertEquals(2, missing.exitCode(), "getent exits 2 when the name is not found: " + missing);
  }

  @Test
  void theHostCannotReachTheClusterDnsNorAnyTestAddress() {
    assertTrue(
        Commands.check("ip", "route", "show", "type", "unreachable")
            .stdout()
            .contains(Cluster.TEST_RANGE));
    assertTrue(
        Commands.run("ip", "route", "get", cluster.dnsIp()).stderr().contains("No route to host"));
    assertTrue(
        Commands.check("ip", "-6", "route", "show", "type", "unreachable")
            .stdout()
            .contains(Cluster.TEST_RANGE6));
    for (String ip :
        new String[] {cluster.echoIp(), cluster.dnsIp(), web.ip(), cluster.echoIp6(), web.ip6()}) {
      assertThrows(
          IOException.class,
          () -> {
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress(ip, Cluster.ECHO_PORT), 2000);
            }
          },
          "host must not reach " + ip);
    }
    assertThrows(
        IOException.class,
        () -> {
          try (DatagramSocket s = new DatagramSocket()) {
            byte[] q = new byte[12];
            s.send(new DatagramPacket(q, q.length, new InetSocketAddress(cluster.dnsIp(), 53)));
          }
        });
    assertEquals(
        "",
        Commands.check("ip", "-n", web.netnsName(), "route", "show", "default").stdout(),
        "pods have no default route");
    assertEquals(
        "",
        Commands.check("ip", "-n", web.netnsName(), "-6", "route", "show", "default").stdout(),
        "nor an IPv6 one");
  }

  @Test
  void podReachesTheClusterEchoAndHttpServices() {
    String python =
        "import socket\n"
            + "s=socket.create_connection(('echo',7));s.sendall(b'x'*100000);s.shutdown(socket.SHUT_WR)\n"
            + "n=0\nwhile True:\n d=s.recv(65536)\n if not d: break\n n+=len(d)\nprint('tcp',n)\n"
            + "u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);u.settimeout(5);u.sendto(b'ping',('echo.cluster.local',7))\n"
            + "print('udp',u.recvfrom(100)[0].decode())\n";
    String out = web.exec("python3", "-c", python).requireOk().stdout();
    assertEquals("tcp 100000\nudp ping\n", out);
    String python6 =
        "import socket\n"
            + "s=socket.create_connection(('"
            + cluster.echoIp6()
            + "',7));s.sendall(b'v6');s.shutdown(socket.SHUT_WR)\n"
            + "print(s.recv(10).decode())\n";
    assertEquals("v6\n", web.exec("python3", "-c", python6).requireOk().stdout());
    assertEquals(
        Cluster.HTTP_BODY,
        web.exec("curl", "-sS", "--max-time", "10", "http://[" + cluster.httpIp6() + "]/")
            .requireOk()
            .stdout());
    assertEquals(
        Cluster.HTTP_BODY,
        web.exec("curl", "-sS", "--max-time", "10", "http://http/").requireOk().stdout());
  }

  @Test
  void aClientInTheClusterNamespaceReachesThePodPort() throws IOException {
    String body =
        cluster.inNetns(
            () -> {
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(web.ip(), 8080), 5000);
                s.setSoTimeout(10000);
                OutputStream out = s.getOutputStream();
                out.write(
                    ("GET /some/path HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
              }
            });
    assertTrue(body.startsWith("HTTP/1.0 200") || body.startsWith("HTTP/1.1 200"), body);
    assertTrue(body.contains("X-Served-By: web"), body);
    assertTrue(body.contains("X-Request-Path: /some/path"), body);
    assertTrue(body.endsWith("\r\n\r\nhello from pod web\n"), body);
    assertEquals(
        "hello from pod web\n",
        cluster
            .exec("curl", "-sS", "--max-time", "10", "http://" + web.ip() + ":8080/")
            .requireOk()
            .stdout());
    assertEquals(
        "hello from pod web\n",
        cluster
            .exec("curl", "-sS", "--max-time", "10", "http://[" + web.ip6() + "]:8080/")
            .requireOk()
            .stdout());
  }

  @Test
  void javaCodeInsideThePodNetnsReachesTheEchoServiceByteExact() {
    byte[] data = new byte[1 << 20];
    new Random(42).nextBytes(data);
    byte[] back =
        web.inNetns(
            () -> {
              try (Socket s = new Socket(cluster.echoIp(), Cluster.ECHO_PORT)) {
                Thread writer =
                    new Thread(
                        () -> {
                          try {
                            s.getOutputStream().write(data);
                            s.shutdownOutput();
                          } catch (IOException e) {
                            throw new RuntimeException(e);
                          }
                        });
                writer.start();
                byte[] all = s.getInputStream().readAllBytes();
                writer.join();
                return all;
              }
            });
    assertArrayEquals(data, back);
  }

  @Test
  void morePodsCanBeAddedAndReachEachOtherByName() {
    Pod other = cluster.addPod(PodSpec.named("other"));
    assertTrue(other.isAlive());
    assertNotEquals(web.pid(), other.pid());
    assertEquals(
        "hello from pod web\n",
        other.exec("curl", "-sS", "--max-time", "10", "http://web:8080/").requireOk().stdout());
    assertEquals("other", other.exec("hostname").requireOk().stdout().strip());
    assertFalse(Files.exists(other.root().resolve("app/config.json")), "pods do not share files");
  }

  @Test
  void iptablesRulesInsideThePodRedirectClusterTrafficAndStayOutOfTheHost() {
    String hostRulesBefore = Commands.check("iptables-save", "-t", "nat").stdout();
    web.exec(
            "iptables",
            "-t",
            "nat",
            "-A",
            "PREROUTING",
            "-p",
            "tcp",
            "--dport",
            "8081",
            "-j",
            "REDIRECT",
            "--to-ports",
            "8080")
        .requireOk();
    try {
      assertEquals(
          "hello from pod web\n",
          cluster
              .exec("curl", "-sS", "--max-time", "10", "http://" + web.ip() + ":8081/")
              .requireOk()
              .stdout());
      assertTrue(
          Commands.check("ip", "netns", "exec", web.netnsName(), "iptables-save", "-t", "nat")
              .stdout()
              .contains("--to-ports 8080"));
      assertEquals(
          hostRulesBefore.replaceAll("(?m)^#.*\n", ""),
          Commands.check("iptables-save", "-t", "nat").stdout().replaceAll("(?m)^#.*\n", ""),
          "the host's rules are untouched");
    } finally {
      web.exec(
          "iptables",
          "-t",
          "nat",
          "-D",
          "PREROUTING",
          "-p",
          "tcp",
          "--dport",
          "8081",
          "-j",
          "REDIRECT",
          "--to-ports",
          "8080");
    }
  }
}
