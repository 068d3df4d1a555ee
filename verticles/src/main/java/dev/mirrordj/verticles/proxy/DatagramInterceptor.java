package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.verticles.proxy.remote.RemoteConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;

/**
 * A loopback UDP socket standing in for one remote destination: datagrams from the application go
 * to the pod's flow, replies go back to whichever local address sent last.
 */
final class DatagramInterceptor {
  private final DatagramSocket socket;
  private final RemoteConnection remote;
  private volatile SocketAddress lastSender;
  private final int port;

  private DatagramInterceptor(DatagramSocket socket, RemoteConnection remote) {
    this.socket = socket;
    this.remote = remote;
    this.port = socket.localAddress().port();
  }

  static Future<DatagramInterceptor> start(Vertx vertx, RemoteConnection remote) {
    DatagramSocket socket = vertx.createDatagramSocket();
    return socket
        .listen(0, "127.0.0.1")
        .map(
            s -> {
              DatagramInterceptor i = new DatagramInterceptor(s, remote);
              s.handler(
                  p -> {
                    i.lastSender = p.sender();
                    remote.write(p.data());
                  });
              remote.handler(
                  data -> {
                    SocketAddress to = i.lastSender;
                    if (to != null) s.send(data, to.port(), to.host());
                  });
              remote.endHandler(v -> s.close());
              return i;
            })
        .onFailure(e -> remote.close());
  }

  SockAddr address() {
    return SockAddr.inet(InetAddress.getLoopbackAddress(), port);
  }

  void close() {
    socket.close();
    remote.close();
  }
}
