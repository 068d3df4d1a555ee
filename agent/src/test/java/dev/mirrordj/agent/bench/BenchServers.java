package dev.mirrordj.agent.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loopback services for the benchmark: sink (acks with one byte at EOF), echo, file streamer. */
final class BenchServers implements AutoCloseable {
  private final ServerSocket sink;
  private final ServerSocket echo;
  private final List<ServerSocket> files = new ArrayList<>();

  BenchServers() throws IOException {
    sink =
        serve(
            s -> {
              InputStream in = s.getInputStream();
              byte[] buf = new byte[1 << 16];
              while (in.read(buf) >= 0) {
                // count nothing: the client times until the ack
              }
              s.getOutputStream().write(1);
            });
    echo =
        serve(
            s -> {
              s.setTcpNoDelay(true);
              InputStream in = s.getInputStream();
              OutputStream out = s.getOutputStream();
              byte[] buf = new byte[1 << 16];
              int n;
              while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
              }
            });
  }

  int sinkPort() {
    return sink.getLocalPort();
  }

  int echoPort() {
    return echo.getLocalPort();
  }

  /** A one-shot server that streams the file to whoever connects. */
  int filePort(Path file) throws IOException {
    ServerSocket ss = serve(s -> java.nio.file.Files.copy(file, s.getOutputStream()));
    files.add(ss);
    return ss.getLocalPort();
  }

  private interface Conn {
    void handle(Socket s) throws IOException;
  }

  private static ServerSocket serve(Conn conn) throws IOException {
    ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!ss.isClosed()) {
                try {
                  Socket s = ss.accept();
                  Thread h =
                      new Thread(
                          () -> {
                            try (s) {
                              conn.handle(s);
                            } catch (IOException ignored) {
                              // peer went away
                            }
                          });
                  h.setDaemon(true);
                  h.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return ss;
  }

  @Override
  public void close() throws IOException {
    sink.close();
    echo.close();
    for (ServerSocket f : files) {
      f.close();
    }
  }
}
