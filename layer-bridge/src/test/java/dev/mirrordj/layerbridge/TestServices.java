package dev.mirrordj.layerbridge;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Loopback services standing in for cluster-only ones: TCP echo, UDP echo and an HTTP responder.
 */
final class TestServices implements AutoCloseable {
  final ServerSocket tcp;
  final DatagramSocket udp;
  final HttpServer http;

  TestServices() throws IOException {
    InetAddress lo = InetAddress.getLoopbackAddress();
    tcp = new ServerSocket(0, 50, lo);
    udp = new DatagramSocket(new InetSocketAddress(lo, 0));
    http = HttpServer.create(new InetSocketAddress(lo, 0), 0);
    http.createContext(
        "/",
        ex -> {
          byte[] body = "hello from pod service\n".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
          }
        });
    http.start();
    daemon(this::tcpLoop);
    daemon(this::udpLoop);
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "test-service");
    t.setDaemon(true);
    t.start();
  }

  private void tcpLoop() {
    while (!tcp.isClosed()) {
      try {
        Socket s = tcp.accept();
        daemon(
            () -> {
              try (s;
                  InputStream in = s.getInputStream();
                  OutputStream out = s.getOutputStream()) {
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
              } catch (IOException ignored) {
                // client went away
              }
            });
      } catch (IOException e) {
        return;
      }
    }
  }

  private void udpLoop() {
    byte[] buf = new byte[2048];
    while (!udp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        udp.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    tcp.close();
    udp.close();
    http.stop(0);
  }
}
