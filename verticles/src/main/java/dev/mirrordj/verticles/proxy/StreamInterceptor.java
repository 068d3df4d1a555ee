package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.verticles.proxy.remote.RemoteConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-shot local listener the application's own socket connects to; its bytes are relayed to a
 * stream opened in the pod, and back. The pod side may still be connecting when the application
 * arrives (non-blocking connect): the accepted socket is then paused, so the application's bytes
 * wait in the kernel, and resumed once the pod side is up. If the pod side fails, the application's
 * connection is reset (the socket-level equivalent of a refused connect). With no remote at all
 * (tcp_ping4_mock) the connection is accepted and its bytes dropped.
 */
final class StreamInterceptor {
  private static final Logger log = LoggerFactory.getLogger(StreamInterceptor.class);
  private static final long ACCEPT_TIMEOUT_MS = 30_000;

  private StreamInterceptor() {}

  /**
   * Listens on loopback TCP (or on a unix path when unixPath != null); returns where to connect.
   * remote is null for tcp_ping4_mock; onClosed gets the interceptor's address once it is gone
   * (only if it ever listened; it runs on the interceptor's context, after the returned future
   * completed).
   */
  static Future<SockAddr> start(
      Vertx vertx,
      Future<RemoteConnection> remote,
      Path unixPath,
      String context,
      Consumer<SockAddr> onClosed) {
    return start(vertx, null, remote, unixPath, context, onClosed);
  }

  /**
   * As {@link #start(Vertx, Future, Path, String, Consumer)}, with the listener (and so the
   * accepted connection) on {@code serverContext} when it is not null: the pod stream's own
   * context, so the relay runs on one thread.
   */
  static Future<SockAddr> start(
      Vertx vertx,
      Context serverContext,
      Future<RemoteConnection> remote,
      Path unixPath,
      String context,
      Consumer<SockAddr> onClosed) {
    if (serverContext == null || Vertx.currentContext() == serverContext) {
      return listen(vertx, remote, unixPath, context, onClosed);
    }
    Promise<SockAddr> started = Promise.promise();
    serverContext.runOnContext(
        v -> listen(vertx, remote, unixPath, context, onClosed).onComplete(started));
    return started.future();
  }

  private static Future<SockAddr> listen(
      Vertx vertx,
      Future<RemoteConnection> remote,
      Path unixPath,
      String context,
      Consumer<SockAddr> onClosed) {
    // a server's connections are handled on the context it listened from
    NetServer server = vertx.createNetServer();
    AtomicBoolean closed = new AtomicBoolean();
    AtomicReference<SockAddr> address = new AtomicReference<>();
    Runnable closeAll =
        () -> {
          if (!closed.compareAndSet(false, true)) return;
          server.close();
          if (remote != null) remote.onSuccess(RemoteConnection::close);
          if (address.get() != null) onClosed.accept(address.get());
        };
    long timer =
        vertx.setTimer(
            ACCEPT_TIMEOUT_MS,
            t -> {
              log.debug("{}: application never connected to its interceptor", context);
              closeAll.run();
            });
    AtomicBoolean taken = new AtomicBoolean();
    server.connectHandler(
        sock -> {
          if (!taken.compareAndSet(false, true)) {
            sock.close(); // one connection per interceptor; the listener goes when it ends
            return;
          }
          vertx.cancelTimer(timer);
          if (remote == null) {
            // closing a Vert.x NetServer closes its connections too, so the listener lives as long
            // as the relay
            sock.closeHandler(v -> closeAll.run());
            sock.handler(
                b -> {}); // tcp_ping4_mock: the connect succeeds; nothing answers, nothing is faked
            return;
          }
          StreamBridge.bridge(sock, remote, context, closeAll);
        });
    SocketAddress bind =
        unixPath != null
            ? SocketAddress.domainSocketAddress(unixPath.toString())
            : SocketAddress.inetSocketAddress(0, "127.0.0.1");
    return server
        .listen(bind)
        .map(
            s -> {
              SockAddr a =
                  unixPath != null
                      ? SockAddr.unix(unixPath.toString())
                      : SockAddr.inet(InetAddress.getLoopbackAddress(), s.actualPort());
              address.set(a);
              return a;
            })
        .onFailure(
            e -> {
              vertx.cancelTimer(timer);
              closeAll.run();
            });
  }
}
