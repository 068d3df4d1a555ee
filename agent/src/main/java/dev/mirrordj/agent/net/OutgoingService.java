package dev.mirrordj.agent.net;

import dev.mirrordj.agent.fs.ErrnoException;
import dev.mirrordj.agent.fs.PathResolver;
import dev.mirrordj.agent.session.ClientSink;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Net;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's outgoing connections. Everything runs on one event loop of the namespaced Vert.x,
 * so every socket is created in the target's network namespace and the connection table needs no
 * locks. Frames from the client are hopped onto that loop.
 */
public final class OutgoingService {
  private static final Logger log = LoggerFactory.getLogger(OutgoingService.class);
  private static final int MAX_CONNECTIONS = 4096;

  private final Vertx nsVertx;
  private final Context ctx;
  private final PathResolver paths;
  private final ClientSink sink;
  private final String label;
  private final Map<Long, OutgoingConnection> conns = new HashMap<>();

  /**
   * Frames for connections whose connect is still in flight, in arrival order: a client may send
   * data, its FIN or a close before it saw the connect's reply, and they must neither be lost nor
   * overtake each other.
   */
  private final Map<Long, List<Consumer<OutgoingConnection>>> pending = new HashMap<>();

  private NetClient client;
  private boolean closed;

  public OutgoingService(Vertx nsVertx, PathResolver paths, ClientSink sink, String label) {
    this.nsVertx = nsVertx;
    this.ctx = nsVertx.getOrCreateContext();
    this.paths = paths;
    this.sink = sink;
    this.label = label;
  }

  public void connect(Net.Connect c, int requestId) {
    ctx.runOnContext(
        v -> {
          if (closed) {
            return;
          }
          if (conns.containsKey(c.connId())
              || pending.containsKey(c.connId())
              || conns.size() >= MAX_CONNECTIONS) {
            sink.send(
                new Control.ErrorReply(
                    conns.size() >= MAX_CONNECTIONS ? Errno.EMFILE : Errno.EINVAL,
                    "connection id " + c.connId() + " is in use or too many connections"),
                requestId);
            return;
          }
          switch (c.kind()) {
            case Net.KIND_TCP ->
                connectStream(
                    c,
                    requestId,
                    SocketAddress.inetSocketAddress(c.port(), c.host()),
                    c.host(),
                    () -> {});
            case Net.KIND_UNIX -> {
              try {
                // the /proc/<pid>/root prefix can make the path too long for sun_path: see
                // UnixSocketPath
                UnixSocketPath path = UnixSocketPath.of(paths.resolve(c.host(), true));
                connectStream(
                    c,
                    requestId,
                    SocketAddress.domainSocketAddress(path.address()),
                    c.host(),
                    path::close);
              } catch (ErrnoException e) {
                sink.send(new Control.ErrorReply(e.errno(), e.getMessage()), requestId);
              }
            }
            case Net.KIND_UDP -> connectDatagram(c, requestId);
            default ->
                sink.send(
                    new Control.ErrorReply(
                        Errno.EAFNOSUPPORT,
                        "unknown connection kind " + c.kind() + " (1 tcp, 2 udp, 3 unix)"),
                    requestId);
          }
        });
  }

  /**
   * @param connected runs once the connect attempt has completed, whatever its outcome
   */
  private void connectStream(
      Net.Connect c, int requestId, SocketAddress to, String shownHost, Runnable connected) {
    if (c.kind() == Net.KIND_TCP && !isIpLiteral(c.host())) {
      connected.run();
      sink.send(
          new Control.ErrorReply(
              Errno.EINVAL, "TCP host must be an IP literal, got '" + c.host() + "'"),
          requestId);
      return;
    }
    pending.put(c.connId(), new ArrayList<>());
    if (client == null) {
      client =
          nsVertx.createNetClient(
              new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
    }
    client
        .connect(to)
        .onComplete(
            ar -> {
              connected.run();
              List<Consumer<OutgoingConnection>> early = pending.remove(c.connId());
              if (ar.failed()) {
                int errno = SocketErrors.errno(ar.cause());
                log.debug(
                    "[{}] connect {} to {} failed: {}",
                    label,
                    c.connId(),
                    to,
                    ar.cause().toString());
                sink.send(
                    new Control.ErrorReply(
                        errno, "connect to " + shownHost + " failed: " + ar.cause().getMessage()),
                    requestId);
                return;
              }
              var sock = ar.result();
              if (closed) {
                sock.close();
                return;
              }
              StreamConnection conn =
                  new StreamConnection(c.connId(), sock, sink, () -> conns.remove(c.connId()));
              conns.put(c.connId(), conn);
              SocketAddress local = sock.localAddress();
              SocketAddress remote = sock.remoteAddress();
              sink.send(
                  new Net.Connected(
                      c.connId(),
                      show(local),
                      Math.max(0, local.port()),
                      show(remote),
                      Math.max(0, remote.port())),
                  requestId);
              conn.start();
              if (early != null) {
                early.forEach(action -> action.accept(conn));
              }
            });
  }

  private static String show(SocketAddress a) {
    return a.isDomainSocket() ? a.path() : a.hostAddress();
  }

  private void connectDatagram(Net.Connect c, int requestId) {
    if (!isIpLiteral(c.host())) {
      sink.send(
          new Control.ErrorReply(
              Errno.EINVAL, "UDP host must be an IP literal, got '" + c.host() + "'"),
          requestId);
      return;
    }
    boolean v6 = c.host().contains(":");
    var socket = nsVertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(v6));
    socket
        .listen(0, v6 ? "::" : "0.0.0.0")
        .onComplete(
            ar -> {
              if (ar.failed()) {
                sink.send(
                    new Control.ErrorReply(
                        SocketErrors.errno(ar.cause()),
                        "UDP socket failed: " + ar.cause().getMessage()),
                    requestId);
                return;
              }
              SocketAddress peer = SocketAddress.inetSocketAddress(c.port(), c.host());
              conns.put(
                  c.connId(),
                  new DatagramConnection(
                      c.connId(), socket, peer, sink, () -> conns.remove(c.connId())));
              sink.send(
                  new Net.Connected(
                      c.connId(),
                      socket.localAddress().hostAddress(),
                      socket.localAddress().port(),
                      c.host(),
                      c.port()),
                  requestId);
            });
  }

  public void data(Net.Data d) {
    onConn(d.connId(), conn -> conn.data(d.data()));
  }

  public void credit(Net.Credit c) {
    onConn(c.connId(), conn -> conn.credit(c.bytes()));
  }

  public void shutdown(Net.Shutdown s) {
    onConn(s.connId(), OutgoingConnection::shutdown);
  }

  public void close(Net.Close c) {
    onConn(c.connId(), c.errno() != 0 ? OutgoingConnection::reset : OutgoingConnection::close);
  }

  private void onConn(long id, Consumer<OutgoingConnection> action) {
    ctx.runOnContext(
        v -> {
          OutgoingConnection conn = conns.get(id);
          if (conn != null) {
            action.accept(conn);
            return;
          }
          List<Consumer<OutgoingConnection>> waiting = pending.get(id);
          if (waiting != null) {
            waiting.add(action);
          } else {
            log.debug("[{}] frame for unknown connection {} dropped", label, id);
          }
        });
  }

  /** Closes every connection of the session (client gone). */
  public void closeAll() {
    ctx.runOnContext(
        v -> {
          closed = true;
          pending.clear();
          new ArrayList<>(conns.values()).forEach(OutgoingConnection::close);
          conns.clear();
          if (client != null) {
            client.close();
          }
        });
  }

  static boolean isIpLiteral(String s) {
    return s.matches("[0-9.]+") || s.matches("[0-9a-fA-F:.]+") && s.contains(":");
  }
}
