package dev.mirrordj.e2e.bench;

import dev.mirrordj.harness.Cluster;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Java servers inside the cluster namespace (on the bridge address), fast enough that the path
 * under test, not the server, is what a benchmark measures: a sink that answers the byte count
 * after EOF, and an echo.
 */
final class BenchServers implements AutoCloseable {
  static final int SINK_PORT = 5201;
  static final int ECHO_PORT = 5202;

  private final ServerSocket sink;
  private final ServerSocket echo;

  BenchServers(Cluster cluster) {
    InetAddress addr = cluster.inNetns(() -> InetAddress.getByName(cluster.bridgeIp()));
    this.sink = cluster.inNetns(() -> new ServerSocket(SINK_PORT, 64, addr));
    this.echo = cluster.inNetns(() -> new ServerSocket(ECHO_PORT, 64, addr));
    acceptLoop(sink, BenchServers::countUntilEof);
    acceptLoop(echo, BenchServers::echoUntilEof);
  }

  private interface Handler {
    void handle(Socket s) throws IOException;
  }

  private static void acceptLoop(ServerSocket server, Handler handler) {
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  s.setTcpNoDelay(true);
                  Thread worker =
                      new Thread(
                          () -> {
                            try (s) {
                              handler.handle(s);
                            } catch (IOException ignored) {
                              // the client went away: nothing to measure any more
                            }
                          },
                          "bench-conn");
                  worker.setDaemon(true);
                  worker.start();
                } catch (IOException e) {
                  return;
                }
              }
            },
            "bench-accept-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  private static void countUntilEof(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[256 * 1024];
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      total += n;
    }
    new DataOutputStream(s.getOutputStream()).writeLong(total);
  }

  private static void echoUntilEof(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    byte[] buf = new byte[64 * 1024];
    for (int n; (n = in.read(buf)) >= 0; ) {
      out.write(buf, 0, n);
    }
  }

  @Override
  public void close() throws IOException {
    sink.close();
    echo.close();
  }
}
