package dev.mirrordj.verticles.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.verticles.proxy.ProxySettings.FsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real programs under the real layer, served by the real ProxyVerticle, against a directory "pod":
 * each configuration option changes what the program sees.
 */
class ProxyUnderLayerTest {
  @TempDir Path work;

  private ProxySession session(UnaryOperator<ProxySettings> configure) throws Exception {
    return new ProxySession(work, configure);
  }

  /** Python snippet printing the outcome of an expression or the errno name it raised. */
  private static String probe(String label, String expr) {
    return "try:\n    print('"
        + label
        + "=' + str("
        + expr
        + "))\n"
        + "except OSError as e:\n    import errno\n    print('"
        + label
        + "=' + errno.errorcode.get(e.errno, str(e.errno)))\n"
        + "except Exception as e:\n    print('"
        + label
        + "=' + type(e).__name__)\n";
  }

  private static void assertLines(ProxySession.Result r, String... expected) {
    assertEquals(List.of(expected), r.lines(), "stderr:\n" + r.stderr());
    assertEquals(0, r.exit(), "exit code; stderr:\n" + r.stderr());
  }

  @Test
  void readModeReadsThePodAndWritesLocally() throws Exception {
    try (ProxySession s = session(x -> x)) {
      ProxySession.Result r =
          s.python(
              probe("read", "open('/app/config.txt').read().strip()")
                  + probe("listdir", "sorted(__import__('os').listdir('/app/dir'))")
                  + probe("write", "open('/app/new.txt', 'w').write('x')")
                  + probe(
                      "kube", "open(__import__('os').path.expanduser('~/.kube/config')).read()"));
      assertLines(r, "read=pod config", "listdir=['a.txt', 'sub']", "write=ENOENT", "kube=ENOENT");
      assertFalse(
          Files.exists(s.podRoot.resolve("app/new.txt")), "read mode must not write to the pod");
    }
  }

  @Test
  void writeModeRoundTripIsVisibleInThePod() throws Exception {
    try (ProxySession s =
        session(x -> x.withFs(FsMode.WRITE, List.of(), List.of(), List.of(), List.of()))) {
      ProxySession.Result r =
          s.python(
              "import os\n"
                  + "open('/app/new.txt', 'w').write('from local')\n"
                  + "os.mkdir('/app/made')\n"
                  + "os.rename('/app/new.txt', '/app/made/moved.txt')\n"
                  + "with open('/app/config.txt', 'a') as f: f.write('appended\\n')\n"
                  + "os.unlink('/app/dir/a.txt')\n"
                  + "print(open('/app/made/moved.txt').read())\n");
      assertLines(r, "from local");
      assertEquals("from local", Files.readString(s.podRoot.resolve("app/made/moved.txt")));
      assertEquals("pod config\nappended\n", Files.readString(s.podRoot.resolve("app/config.txt")));
      assertFalse(Files.exists(s.podRoot.resolve("app/dir/a.txt")));
    }
  }

  @Test
  void directoryWalksAndFdRelativeOperations() throws Exception {
    try (ProxySession s =
        session(x -> x.withFs(FsMode.WRITE, List.of(), List.of(), List.of(), List.of()))) {
      Files.createDirectories(s.podRoot.resolve("app/tree/deep"));
      Files.writeString(s.podRoot.resolve("app/tree/x.txt"), "x");
      Files.writeString(s.podRoot.resolve("app/tree/deep/y.txt"), "y");
      ProxySession.Result r =
          s.python(
              "import os, shutil\n"
                  + "print(sorted((d, sorted(fs)) for d, _, fs in os.walk('/app/tree')))\n"
                  + "shutil.rmtree('/app/tree')\n"
                  + "print(os.path.exists('/app/tree'))\n");
      assertLines(r, "[('/app/tree', ['x.txt']), ('/app/tree/deep', ['y.txt'])]", "False");
      assertFalse(
          Files.exists(s.podRoot.resolve("app/tree")), "rmtree removed the pod's directory");
    }
  }

  @Test
  void patternListsNotFoundReadOnlyAndLocal() throws Exception {
    try (ProxySession s =
        session(
            x ->
                x.withFs(
                    FsMode.WRITE,
                    List.of(),
                    List.of("^/APP/RO/"),
                    List.of("^/app/dir"),
                    List.of("secret")))) {
      ProxySession.Result r =
          s.python(
              probe("secret", "open('/app/secret.txt').read()")
                  + probe("secret-stat", "__import__('os').stat('/app/secret.txt').st_size")
                  + probe("ro-read", "open('/app/ro/file.txt').read().strip()")
                  + probe("ro-write", "open('/app/ro/file.txt', 'w').write('x')")
                  + probe("local", "__import__('os').listdir('/app/dir')"));
      assertLines(
          r,
          "secret=ENOENT",
          "secret-stat=ENOENT",
          "ro-read=read only",
          "ro-write=ENOENT",
          "local=ENOENT");
      assertEquals("read only\n", Files.readString(s.podRoot.resolve("app/ro/file.txt")));
    }
  }

  @Test
  void localWithOverridesReadsOnlyTheDefaultRemoteList() throws Exception {
    try (ProxySession s =
        session(
            x -> x.withFs(FsMode.LOCALWITHOVERRIDES, List.of(), List.of(), List.of(), List.of()))) {
      ProxySession.Result r =
          s.python(
              probe("app", "open('/app/config.txt').read()")
                  + probe("hostname-file", "open('/etc/hostname').read().strip()"));
      assertLines(r, "app=ENOENT", "hostname-file=test-pod");
    }
  }

  @Test
  void localModeLeavesFilesAlone() throws Exception {
    try (ProxySession s =
        session(x -> x.withFs(FsMode.LOCAL, List.of(), List.of(), List.of(), List.of()))) {
      assertLines(s.python(probe("app", "open('/app/config.txt').read()")), "app=ENOENT");
    }
  }

  private static final String NET =
      "import socket\n"
          + "def tcp(host, port):\n"
          + "    try:\n"
          + "        s = socket.create_connection((host, port), timeout=10); s.sendall(b'ping'); r = s.recv(10).decode(); s.close(); return r\n"
          + "    except OSError as e:\n"
          + "        import errno; return errno.errorcode.get(e.errno, str(e))\n"
          + "def udp(host, port):\n"
          + "    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(3)\n"
          + "    try:\n"
          + "        u.sendto(b'dgram', (host, port)); d, src = u.recvfrom(100); return d.decode() + '@' + src[0]\n"
          + "    except OSError as e:\n"
          + "        return type(e).__name__\n"
          + "def dns(name):\n"
          + "    try:\n"
          + "        return socket.gethostbyname(name)\n"
          + "    except OSError as e:\n"
          + "        return 'gaierror'\n";

  @Test
  void outgoingDnsAndHostnameByDefault() throws Exception {
    try (ProxySession s = session(x -> x)) {
      ProxySession.Result r =
          s.python(
              NET
                  + "print(dns('svc.cluster.test'), tcp('svc.cluster.test', 7000), udp('127.77.0.10', 7000))\n"
                  + "print(tcp('127.0.0.1', 7001), socket.gethostname())\n"
                  + "print(tcp('127.77.0.10', 7999))\n"
                  + "m = socket.create_connection(('127.77.0.10', 7), timeout=1); m.sendall(b'x')\n"
                  + "try:\n    print('mock-reply=' + m.recv(10).decode())\nexcept TimeoutError:\n    print('mock: connected, no reply')\n");
      // tcp_ping4_mock (default on): port 7 connects without the pod and nothing answers.
      // create_connection(timeout=) connects non-blocking, so a refused pod side is a reset of the
      // socket.
      assertLines(
          r,
          "127.77.0.10 ping dgram@127.77.0.10",
          "ping test-pod",
          "ECONNRESET",
          "mock: connected, no reply");
    }
  }

  @Test
  void ping4MockOffReachesThePodsPort7() throws Exception {
    try (ProxySession s = session(x -> x.withExperimental(false, false))) {
      s.remote.tcp.put("127.77.0.10:7", s.remote.tcp.get("127.77.0.10:7000"));
      assertLines(s.python(NET + "print(tcp('127.77.0.10', 7))\n"), "ping");
    }
  }

  @Test
  void dnsAndHostnameCanBeTurnedOff() throws Exception {
    try (ProxySession s = session(x -> x.withNames(false, false))) {
      ProxySession.Result r =
          s.python(
              NET
                  + "print(dns('svc.cluster.test'), socket.gethostname() == open('/proc/sys/kernel/hostname').read().strip())\n");
      assertLines(r, "gaierror True");
    }
  }

  @Test
  void outgoingFiltersBothWaysAndIgnoreLocalhost() throws Exception {
    try (ProxySession local =
        session(
            x ->
                x.withOutgoing(
                    true,
                    true,
                    false,
                    List.of("tcp://127.77.0.0/16:7000"),
                    List.of(),
                    List.of()))) {
      ProxySession.Result r =
          local.python(
              NET
                  + "print(tcp('127.77.0.10', 7000), udp('127.77.0.10', 7000), tcp('127.0.0.1', 7001))\n");
      assertLines(r, "ECONNREFUSED dgram@127.77.0.10 ping");
    }
    try (ProxySession ignoring =
        session(x -> x.withOutgoing(true, true, true, List.of(), List.of(), List.of()))) {
      // 127.77.0.10 is loopback too, so ignore_localhost keeps it local as well
      ProxySession.Result r =
          ignoring.python(NET + "print(tcp('127.0.0.1', 7001), udp('127.77.0.10', 7000))\n");
      assertLines(r, "ECONNREFUSED TimeoutError");
    }
  }

  @Test
  void remoteFilterSendsOnlyMatchesThroughThePod() throws Exception {
    try (ProxySession s =
        session(
            x ->
                x.withOutgoing(
                    true, true, false, List.of(), List.of("svc.cluster.test:7000"), List.of()))) {
      ProxySession.Result r =
          s.python(
              NET
                  + "print(tcp('127.77.0.10', 7000), tcp('svc.cluster.test', 7000), tcp('127.0.0.1', 7001))\n"
                  + "print(udp('127.77.0.10', 7000), udp('127.77.0.10', 7001))\n");
      // before the name was resolved the address matches nothing; afterwards it matches by name
      assertLines(r, "ECONNREFUSED ping ECONNREFUSED", "dgram@127.77.0.10 TimeoutError");
    }
  }

  @Test
  void tcpAndUdpSwitches() throws Exception {
    try (ProxySession s =
        session(x -> x.withOutgoing(false, false, false, List.of(), List.of(), List.of()))) {
      ProxySession.Result r =
          s.python(NET + "print(tcp('127.77.0.10', 7000), udp('127.77.0.10', 7000))\n");
      assertLines(r, "ECONNREFUSED TimeoutError");
    }
  }

  @Test
  void unixStreamsMatchingThePatternGoToThePod() throws Exception {
    try (ProxySession s =
        session(
            x ->
                x.withOutgoing(true, true, false, List.of(), List.of(), List.of("bear\\.sock$")))) {
      ProxySession.Result r =
          s.python(
              "import socket\n"
                  + "c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
                  + "c.connect('/pod/run/bear.sock'); c.sendall(b'unix-ping'); print(c.recv(100).decode())\n"
                  + "d = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
                  + "try:\n    d.connect('/pod/run/other.sock')\nexcept OSError as e:\n    print(type(e).__name__)\n");
      assertLines(r, "unix-ping", "FileNotFoundError");
    }
  }

  @Test
  void skipProcessesLeavesThatProgramLocal() throws Exception {
    try (ProxySession s = session(x -> x.withSkip(List.of("cat"), true, List.of()))) {
      ProxySession.Result r =
          s.run(
              List.of(
                  "bash",
                  "-c",
                  "head -c 99 /app/config.txt; cat /app/config.txt || echo cat-failed"));
      assertLines(r, "pod config", "cat-failed");
    }
  }

  @Test
  void lostAgentGivesErrnosFast() throws Exception {
    try (ProxySession s = session(x -> x)) {
      ProxySession.Result ok = s.python(probe("before", "open('/app/config.txt').read().strip()"));
      assertLines(ok, "before=pod config");
      s.remote.kill();
      ProxySession.Result r =
          s.python(
              NET
                  + probe("file", "open('/app/config.txt').read()")
                  + "print(dns('svc.cluster.test'), tcp('127.77.0.10', 7000))\n");
      // the agent is known to be gone, so even a non-blocking connect fails at once
      assertLines(r, "file=EIO", "gaierror ECONNREFUSED");
    }
  }

  @Test
  void idleAfterTheLastLayerDisconnects() throws Exception {
    try (ProxySession s =
        session(
            x ->
                x.withTimeouts(
                    java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(200)))) {
      s.python("print(1)");
      s.proxy
          .idle()
          .toCompletionStage()
          .toCompletableFuture()
          .get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(s.proxy.everConnected());
      assertEquals(0, s.proxy.activeConnections());
    }
  }
}
