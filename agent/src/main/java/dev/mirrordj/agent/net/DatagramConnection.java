package dev.mirrordj.agent.net;

import dev.mirrordj.agent.session.ClientSink;
import dev.mirrordj.protocol.Net;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.SocketAddress;

/**
 * A "connected" UDP socket in the target's namespace: datagrams go to one peer and only that peer's
 * datagrams come back. No credits (UDP may drop); a datagram is dropped when the client link is
 * congested rather than buffered without bound.
 */
final class DatagramConnection implements OutgoingConnection {
  private final long connId;
  private final DatagramSocket socket;
  private final SocketAddress peer;
  private final ClientSink sink;
  private final Runnable onGone;

  DatagramConnection(
      long connId, DatagramSocket socket, SocketAddress peer, ClientSink sink, Runnable onGone) {
    this.connId = connId;
    this.socket = socket;
    this.peer = peer;
    this.sink = sink;
    this.onGone = onGone;
    socket.handler(
        packet -> {
          SocketAddress from = packet.sender();
          if (from.port() == peer.port() && sameHost(from.hostAddress(), peer.hostAddress())) {
            sink.send(new Net.Data(connId, packet.data()), 0);
          }
        });
  }

  private static boolean sameHost(String a, String b) {
    return a.equals(b) || a.replace("::ffff:", "").equals(b.replace("::ffff:", ""));
  }

  @Override
  public void data(Buffer data) {
    socket.send(data, peer.port(), peer.hostAddress());
  }

  @Override
  public void credit(int bytes) {
    // datagrams are not credited
  }

  @Override
  public void shutdown() {
    // meaningless for UDP
  }

  @Override
  public void close() {
    socket.close();
    onGone.run();
  }

  long id() {
    return connId;
  }
}
