package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.LayerLibrary;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A proxy session for tests: a directory "pod" (files, hostname, loopback services standing in for
 * cluster services), the real ProxyVerticle, and real programs run under the real layer.
 */
final class ProxySession implements AutoCloseable {
  final Path work, podRoot, sessionDir, library;
  final Vertx vertx;
  final DirRemoteTarget remote;
  final ProxyVerticle proxy;
  private final ServerSocket tcpEcho;
  private final DatagramSocket udpEcho;
  private final ServerSocketChannel unixEcho;
  final Path unixEchoPath;

  ProxySession(Path work, UnaryOperator<ProxySettings> configure) throws Exception {
    this.work = work;
    podRoot = Files.createDirectories(work.resolve("pod"));
    sessionDir = Files.createDirectories(work.resolve("session"));
    Files.createDirectories(podRoot.resolve("app/dir/sub"));
    Files.createDirectories(podRoot.resolve("app/ro"));
    Files.createDirectories(podRoot.resolve("etc"));
    Files.writeString(podRoot.resolve("app/config.txt"), "pod config\n");
    Files.writeString(podRoot.resolve("app/dir/a.txt"), "a");
    Files.writeString(podRoot.resolve("app/ro/file.txt"), "read only\n");
    Files.writeString(podRoot.resolve("app/secret.txt"), "do not read\n");
    Files.writeString(podRoot.resolve("etc/hostname"), "test-pod\n");
    library = LayerLibrary.extract(work.resolve("cache"));

    InetAddress lo = InetAddress.getLoopbackAddress();
    tcpEcho = new ServerSocket(0, 50, lo);
    udpEcho = new DatagramSocket(new InetSocketAddress(lo, 0));
    unixEchoPath = work.resolve("unix-echo.sock");
    unixEcho =
        ServerSocketChannel.open(StandardProtocolFamily.UNIX)
            .bind(UnixDomainSocketAddress.of(unixEchoPath));
    daemon(this::tcpLoop);
    daemon(this::udpLoop);
    daemon(this::unixLoop);

    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    remote = new DirRemoteTarget(vertx, podRoot);
    remote.tcp.put("127.77.0.10:7000", tcpEcho.getLocalPort());
    remote.tcp.put("127.0.0.1:7001", tcpEcho.getLocalPort()); // the pod's own localhost service
    remote.udp.put("127.77.0.10:7000", udpEcho.getLocalPort());
    remote.unix.put("/pod/run/bear.sock", unixEchoPath);
    ProxySettings settings =
        configure.apply(
            ProxySettings.defaults(
                new ProxySettings.LocalFacts(
                    Path.of(System.getProperty("user.home")), work, Path.of("/tmp"), sessionDir)));
    proxy = new ProxyVerticle(settings, remote, sessionDir);
    vertx.deployVerticle(proxy).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  record Result(int exit, String stdout, String stderr) {
    List<String> lines() {
      return stdout.lines().toList();
    }
  }

  Result python(String script) throws Exception {
    return run(List.of("/usr/bin/python3", "-c", script));
  }

  Result run(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(work.toFile());
    Map<String, String> env = pb.environment();
    env.put("LD_PRELOAD", library.toString());
    env.put("MIRRORD_LAYER_SOCK", proxy.socketPath().toString());
    env.put("MIRRORD_LAYER_TMP", sessionDir.toString());
    Path out = Files.createTempFile(work, "out", ".txt"),
        err = Files.createTempFile(work, "err", ".txt");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS))
        throw new AssertionError("timed out: " + command + "\n" + Files.readString(err));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "pod-service");
    t.setDaemon(true);
    t.start();
  }

  private void tcpLoop() {
    while (!tcpEcho.isClosed()) {
      try {
        Socket s = tcpEcho.accept();
        daemon(
            () -> {
              try (s;
                  InputStream in = s.getInputStream();
                  OutputStream o = s.getOutputStream()) {
                byte[] b = new byte[4096];
                int n;
                while ((n = in.read(b)) > 0) o.write(b, 0, n);
              } catch (IOException ignored) {
                // peer gone
              }
            });
      } catch (IOException e) {
        return;
      }
    }
  }

  private void udpLoop() {
    byte[] b = new byte[2048];
    while (!udpEcho.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(b, b.length);
        udpEcho.receive(p);
        udpEcho.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void unixLoop() {
    while (unixEcho.isOpen()) {
      try {
        SocketChannel c = unixEcho.accept();
        daemon(
            () -> {
              try (c) {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                while (c.read(buf) > 0) {
                  buf.flip();
                  c.write(buf);
                  buf.clear();
                }
              } catch (IOException ignored) {
                // peer gone
              }
            });
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws Exception {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      tcpEcho.close();
      udpEcho.close();
      unixEcho.close();
      Files.deleteIfExists(unixEchoPath);
    }
  }
}
