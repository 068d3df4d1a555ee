package dev.mirrordj.e2e.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * B6's physical baseline: a plain TCP server on the host's loopback (the same link the agent is
 * reached by) that streams the bytes of pod files read through /proc/PID/root. Request: one line
 * {@code <limit> <path> [<path>...]}; reply: the files' bytes back to back, up to limit, then
 * close.
 */
final class PlainFileStreamer implements AutoCloseable {
  private final ServerSocket server;
  private final Path podRoot;

  PlainFileStreamer(Path podRoot) throws IOException {
    this.podRoot = podRoot;
    this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "plain-file-streamer");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setTcpNoDelay(true);
        serve(s);
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private void serve(Socket s) throws IOException {
    String[] req =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
            .readLine()
            .split(" ");
    long left = Long.parseLong(req[0]);
    OutputStream out = s.getOutputStream();
    byte[] buf = new byte[1 << 20];
    for (int i = 1; i < req.length && left > 0; i++) {
      try (InputStream in = Files.newInputStream(podRoot.resolve(req[i].substring(1)))) {
        for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
          out.write(buf, 0, n);
          left -= n;
        }
      }
    }
    out.flush();
  }

  /**
   * Streams {@code limit} bytes of {@code paths} (pod paths) and returns how many bytes arrived.
   */
  long fetch(long limit, String... paths) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port())) {
      s.setTcpNoDelay(true);
      s.getOutputStream()
          .write((limit + " " + String.join(" ", paths) + "\n").getBytes(StandardCharsets.UTF_8));
      InputStream in = s.getInputStream();
      byte[] buf = new byte[1 << 20];
      long total = 0;
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
      return total;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
