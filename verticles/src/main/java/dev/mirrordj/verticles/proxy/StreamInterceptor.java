package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.verticles.proxy.remote.RemoteConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-shot local listener the application's own socket connects to; its bytes are relayed to a
 * stream opened in the pod, and back. With no remote (tcp_ping4_mock) the connection is accepted and its bytes dropped.
 */
final class StreamInterceptor {
    private static final Logger log = LoggerFactory.getLogger(StreamInterceptor.class);
    private static final long ACCEPT_TIMEOUT_MS = 30_000;

    private StreamInterceptor() {}

    /** Listens on loopback TCP (or on a unix path when unixPath != null); returns where to connect. */
    static Future<SockAddr> start(Vertx vertx, RemoteConnection remote, Path unixPath, String context) {
        NetServer server = vertx.createNetServer();
        long timer = vertx.setTimer(ACCEPT_TIMEOUT_MS, t -> {
            log.debug("{}: application never connected to its interceptor", context);
            server.close();
            if (remote != null) remote.close();
        });
        java.util.concurrent.atomic.AtomicBoolean taken = new java.util.concurrent.atomic.AtomicBoolean();
        server.connectHandler(sock -> {
            if (!taken.compareAndSet(false, true)) {
                sock.close(); // one connection per interceptor; the listener goes when it ends
                return;
            }
            vertx.cancelTimer(timer);
            // closing a Vert.x NetServer closes its connections too, so the listener lives as long as the relay
            sock.closeHandler(v -> {
                server.close();
                if (remote != null) remote.close();
            });
            relay(sock, remote, context);
        });
        SocketAddress bind = unixPath != null ? SocketAddress.domainSocketAddress(unixPath.toString())
                : SocketAddress.inetSocketAddress(0, "127.0.0.1");
        return server.listen(bind).map(s -> unixPath != null ? SockAddr.unix(unixPath.toString())
                : SockAddr.inet(InetAddress.getLoopbackAddress(), s.actualPort()))
                .onFailure(e -> { vertx.cancelTimer(timer); if (remote != null) remote.close(); });
    }

    private static void relay(NetSocket sock, RemoteConnection remote, String context) {
        if (remote == null) {
            sock.handler(b -> { }); // tcp_ping4_mock: the connect succeeds; nothing answers, nothing is faked
            return;
        }
        sock.handler(b -> remote.write(b));
        sock.endHandler(v -> remote.write(Buffer.buffer()));
        sock.exceptionHandler(e -> log.debug("{}: local side: {}", context, e.toString()));
        remote.handler(sock::write);
        remote.endHandler(v -> sock.end());
    }
}
