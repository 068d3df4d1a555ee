package dev.mirrordj.verticles.proxy.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mirrordj.layerbridge.SeccompLauncher;
import dev.mirrordj.layerbridge.msg.DirEntry;
import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.protocol.Errno;
import io.vertx.core.Future;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor with the real launcher and real programs (cat, ls, uname, python3), answering from
 * a small in-memory pod: what the program sees is what the answers say, through the kernel's user
 * notifications.
 */
class SeccompSupervisorTest {
  @TempDir Path work;
  Path launcher;
  SeccompSupervisor supervisor;
  final FakePod pod = new FakePod();
  ServerSocket interceptor;

  @BeforeEach
  void start() throws Exception {
    launcher = SeccompLauncher.extract(work.resolve("cache"));
    SeccompLauncher.Support support = SeccompLauncher.probe(launcher);
    assumeTrue(support.usable() || "true".equals(System.getenv("CI")), support.detail());
    assertTrue(support.usable(), support.detail());
    interceptor = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    pod.interceptorPort = interceptor.getLocalPort();
    supervisor =
        SeccompSupervisor.start(
            work.resolve("s.sock"),
            work.resolve("seccomp"),
            pod,
            new SeccompSupervisor.Observer() {
              public void programStarted() {}

              public void programGone() {}
            });
  }

  @AfterEach
  void stop() throws Exception {
    if (supervisor != null) supervisor.close();
    if (interceptor != null) interceptor.close();
  }

  record Run(int exit, String out, String err) {}

  Run run(String... command) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(launcher.toString(), supervisor.socketPath().toString()));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    byte[] err = p.getErrorStream().readAllBytes();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
    return new Run(p.exitValue(), out, new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void aPodFileIsReadAsAMemfdAndOthersFailAsThePodSays() throws Exception {
    Run r = run("cat", "/pod/hello.txt");
    assertEquals(0, r.exit(), r.err());
    assertEquals("hello from the pod\n", r.out());
    Run missing = run("cat", "/pod/nope.txt");
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("No such file or directory"), missing.err());
  }

  @Test
  void aPodDirectoryIsListedAndStatted() throws Exception {
    Run r = run("ls", "-l", "/pod");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("hello.txt") && r.out().contains("sub"), r.out());
    // ls -l stats each entry through the listing's descriptor: the pod's size shows
    assertTrue(r.out().contains(" 19 "), r.out());
  }

  @Test
  void writtenFilesGoBackToThePodWhenTheProgramEnds() throws Exception {
    Run r = run("sh", "-c", "echo new content > /pod/out.txt");
    assertEquals(0, r.exit(), r.err());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!pod.written.containsKey("/pod/out.txt") && System.nanoTime() < deadline)
      Thread.sleep(20);
    assertEquals(
        "new content\n", new String(pod.written.get("/pod/out.txt"), StandardCharsets.UTF_8));
  }

  /**
   * Where the layer cannot work, the probe says why, so `run` can tell the user and fall back to
   * LD_PRELOAD: here the real case of a process already under a seccomp listener.
   */
  @Test
  void theProbeUnderAnotherListenerSaysWhyTheLayerIsUnavailable() throws Exception {
    Run r = run(launcher.toString(), "--probe");
    assertEquals(2, r.exit(), r.out() + r.err());
    assertTrue(
        r.out().startsWith("unsupported: this process already runs under a seccomp listener"),
        r.out());
  }

  @Test
  void unameShowsThePodHostname() throws Exception {
    Run r = run("uname", "-n");
    assertEquals("pod-host\n", r.out(), r.err());
  }

  @Test
  void aConnectToThePodReachesTheInterceptorAndGetpeernameShowsTheTarget() throws Exception {
    Thread server = greetOneConnection();
    String script =
        "import socket\n"
            + "s = socket.create_connection(('10.99.0.1', 80), timeout=5)\n"
            + "print(s.getpeername()[0], s.getpeername()[1])\n"
            + "print(s.makefile().readline().strip())\n";
    Run r = run("python3", "-c", script);
    server.join(5000);
    assertEquals(0, r.exit(), r.err());
    assertEquals("10.99.0.1 80\nfrom interceptor\n", r.out());
  }

  @Test
  void aV4MappedConnectOfAnIpv6SocketIsAskedAsItsIpv4AddressAndReachesTheInterceptor()
      throws Exception {
    Thread server = greetOneConnection();
    String script =
        "import socket\n"
            + "s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)\n"
            + "s.settimeout(5)\n"
            + "s.connect(('::ffff:10.99.0.1', 80))\n"
            + "print(s.getpeername()[0], s.getpeername()[1])\n"
            + "print(s.makefile().readline().strip())\n";
    Run r = run("python3", "-c", script);
    server.join(5000);
    assertEquals(0, r.exit(), r.err());
    // the program keeps its IPv6 view; the pod is asked for the IPv4 service it means
    assertEquals("::ffff:10.99.0.1 80\nfrom interceptor\n", r.out());
    assertEquals(List.of("10.99.0.1:80"), pod.connects, pod.connects.toString());
  }

  @Test
  void etcHostnameIsThePodsHostname() throws Exception {
    Run r = run("cat", "/etc/hostname");
    assertEquals(0, r.exit(), r.err());
    assertEquals("pod-host\n", r.out());
  }

  /** The interceptor's side: one connection, greeted with a line. */
  private Thread greetOneConnection() {
    Thread server =
        new Thread(
            () -> {
              try (Socket s = interceptor.accept()) {
                OutputStream o = s.getOutputStream();
                o.write("from interceptor\n".getBytes(StandardCharsets.UTF_8));
                o.flush();
              } catch (Exception ignored) {
                // the test's assertion reports it
              }
            });
    server.start();
    return server;
  }

  @Test
  void aProgramWhoseSupervisorIsGoneGetsErrorsNotAHang() throws Exception {
    // the program waits for a line, then opens a file: by then nobody answers
    List<String> cmd =
        List.of(
            launcher.toString(),
            supervisor.socketPath().toString(),
            "python3",
            "-c",
            "import sys\nprint('ready', flush=True)\nsys.stdin.readline()\n"
                + "try:\n    open('/pod/hello.txt').read()\n    print('read')\n"
                + "except OSError as e:\n    print('errno', e.errno)\n");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    java.io.BufferedReader lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("ready", lines.readLine()); // python is up and waiting on stdin
    supervisor.close();
    supervisor = null;
    p.getOutputStream().write('\n');
    p.getOutputStream().flush();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the program hung without its supervisor");
    assertEquals("errno 38", lines.readLine()); // ENOSYS
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * A python3 listener bound to {@code port}: prints what getsockname says, accepts one connection
   * (the test makes it where the socket really listens), closes everything and waits for a line.
   */
  Process listener(int port) throws Exception {
    String script =
        "import socket, sys\n"
            + "s = socket.socket()\n"
            + "try:\n"
            + "    s.bind(('127.0.0.1', "
            + port
            + "))\n"
            + "except OSError as e:\n"
            + "    print('bind errno', e.errno, flush=True); sys.exit(3)\n"
            + "s.listen(5)\n"
            + "print('name', s.getsockname()[1], flush=True)\n"
            + "s.settimeout(10)\n"
            + "a, _ = s.accept()\n"
            + "print('accepted', flush=True)\n"
            + "a.close(); s.close()\n"
            + "print('closed', flush=True)\n"
            + "sys.stdin.readline()\n";
    return new ProcessBuilder(
            launcher.toString(), supervisor.socketPath().toString(), "python3", "-c", script)
        .redirectErrorStream(true)
        .start();
  }

  static void connectTo(int port) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.getOutputStream().write('x');
    }
  }

  /** The listeners the pod was told about, by kind, once {@code done} holds (5 s at most). */
  void awaitIncoming(java.util.function.Predicate<List<LayerRequest>> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!done.test(pod.incoming) && System.nanoTime() < deadline) Thread.sleep(20);
    assertTrue(done.test(pod.incoming), "pod heard: " + pod.incoming);
  }

  @Test
  void aListenPortsPortIsBoundLocallyElsewhereShownAsAskedAndReleasedOnClose() throws Exception {
    int requested = freePort(), local = freePort();
    while (local == requested) local = freePort();
    pod.listenPorts = Map.of(requested, local);
    Process p = listener(requested);
    try {
      java.io.BufferedReader out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      // getsockname shows the requested port; the socket really listens on the local one
      assertEquals("name " + requested, out.readLine());
      connectTo(local);
      assertEquals("accepted", out.readLine());
      assertEquals("closed", out.readLine());
      SockAddr really = SockAddr.inet(InetAddress.getLoopbackAddress(), local);
      assertTrue(
          pod.incoming.contains(new LayerRequest.Listen(really, requested)),
          "pod heard: " + pod.incoming);
      // the program is still running: only its close can have released the listener
      awaitIncoming(l -> l.contains(new LayerRequest.Unlisten(really)));
      assertTrue(p.isAlive());
    } finally {
      p.getOutputStream().close();
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  @Test
  void aPortBusyLocallyMovesToARandomPortWhenThePodWillDeliverIt() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = busy.getLocalPort();
      Process p = listener(port);
      java.io.BufferedReader out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      try {
        assertEquals("name " + port, out.readLine());
        assertTrue(
            pod.incoming.contains(
                new LayerRequest.BindBusy(SockAddr.inet(InetAddress.getLoopbackAddress(), port))),
            "pod heard: " + pod.incoming);
        LayerRequest.Listen listen =
            pod.incoming.stream()
                .filter(r -> r instanceof LayerRequest.Listen)
                .map(r -> (LayerRequest.Listen) r)
                .findFirst()
                .orElseThrow();
        assertEquals(port, listen.requestedPort());
        assertTrue(
            listen.address().port() != port && listen.address().port() != 0, listen.toString());
        // the proxy delivers to the address reported: the program accepts there
        connectTo(listen.address().port());
        assertEquals("accepted", out.readLine());
      } finally {
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
      }
    }
  }

  @Test
  void aBusyPortStaysAnErrorWhenThePodWouldNotDeliverItOrIncomingIsOff() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      pod.busyPortMayMove = false;
      Process refused = listener(busy.getLocalPort());
      assertTrue(refused.waitFor(10, TimeUnit.SECONDS));
      assertEquals("bind errno 98\n", new String(refused.getInputStream().readAllBytes()));
      pod.busyPortMayMove = true;
      pod.helloFlags = 0; // incoming off: the layer leaves bind alone
      pod.incoming.clear();
      Process off = listener(busy.getLocalPort());
      assertTrue(off.waitFor(10, TimeUnit.SECONDS));
      assertEquals("bind errno 98\n", new String(off.getInputStream().readAllBytes()));
      assertTrue(pod.incoming.isEmpty(), "pod heard: " + pod.incoming);
    }
  }

  /** A pod with one directory: /pod/hello.txt, /pod/sub/. */
  static final class FakePod implements SupervisedCalls {
    int interceptorPort;
    final Map<String, byte[]> written = new ConcurrentHashMap<>();
    volatile int helloFlags = LayerReply.Hello.LISTEN;
    volatile Map<Integer, Integer> listenPorts = Map.of();
    volatile boolean busyPortMayMove = true;
    final List<LayerRequest> incoming = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> connects = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Future<LayerReply.Hello> hello(int pid) {
      return Future.succeededFuture(
          new LayerReply.Hello(helloFlags, List.of(), List.of(), listenPorts));
    }

    static FileMeta meta(int mode, long size) {
      return new FileMeta(1, 42, 1, mode, 0, 0, size, 4096, 8, 1, 0, 2, 0, 3, 0);
    }

    @Override
    public Future<LayerReply> handle(int pid, LayerRequest request) {
      LayerReply r;
      if (request instanceof LayerRequest.Open o && o.path().startsWith("/pod")) {
        if (o.path().equals("/pod"))
          r =
              new LayerReply.Directory(
                  List.of(
                      new DirEntry("hello.txt", DirEntry.DT_REG, null),
                      new DirEntry("sub", DirEntry.DT_DIR, null)));
        else if (o.path().equals("/pod/hello.txt"))
          r =
              new LayerReply.FileContent(
                  false, meta(0100644, 19), "hello from the pod\n".getBytes());
        else if (o.forWriting())
          r = new LayerReply.FileContent(true, meta(0100644, 0), new byte[0]);
        else r = LayerReply.errno(Errno.ENOENT);
      } else if (request instanceof LayerRequest.Stat s && s.path().startsWith("/pod")) {
        r =
            s.path().equals("/pod")
                ? new LayerReply.Meta(meta(040755, 4096))
                : s.path().equals("/pod/hello.txt")
                    ? new LayerReply.Meta(meta(0100644, 19))
                    : s.path().equals("/pod/sub")
                        ? new LayerReply.Meta(meta(040755, 4096))
                        : LayerReply.errno(Errno.ENOENT);
      } else if (request instanceof LayerRequest.WriteBack w) {
        written.put(w.path(), w.content());
        r = LayerReply.OK;
      } else if (request instanceof LayerRequest.Hostname) {
        r = new LayerReply.Name("pod-host");
      } else if (request instanceof LayerRequest.Connect c
          && c.address().isInet()
          && c.address().port() == 80) {
        connects.add(c.address().inetAddress().getHostAddress() + ":" + c.address().port());
        r =
            new LayerReply.Redirect(
                SockAddr.inet(InetAddress.getLoopbackAddress(), interceptorPort));
      } else if (request instanceof LayerRequest.BindBusy) {
        incoming.add(request);
        r = busyPortMayMove ? LayerReply.OK : LayerReply.LOCAL;
      } else if (request instanceof LayerRequest.Listen
          || request instanceof LayerRequest.Unlisten) {
        incoming.add(request);
        r = LayerReply.OK;
      } else r = LayerReply.LOCAL;
      return Future.succeededFuture(r);
    }

    @Override
    public Future<byte[]> podFile(String path) {
      return Future.failedFuture("no DNS files in this pod");
    }

    @Override
    public boolean remoteDns() {
      return false;
    }

    @Override
    public boolean remoteHostname() {
      return true;
    }

    @Override
    public List<String> localPrefixes() {
      return List.of("/usr", "/lib", "/proc", "/etc");
    }
  }
}
