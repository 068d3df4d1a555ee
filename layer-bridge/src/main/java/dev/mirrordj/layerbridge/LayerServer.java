package dev.mirrordj.layerbridge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts layer connections on a unix socket (the path goes to the layer in MIRRORD_LAYER_SOCK) and
 * feeds their requests to a {@link LayerRequestHandler}. Needs Vert.x with the native transport.
 */
public final class LayerServer {
  private static final Logger log = LoggerFactory.getLogger(LayerServer.class);

  private final Vertx vertx;
  private final Path socketPath;
  private final LayerRequestHandler handler;
  private final AtomicLong ids = new AtomicLong();
  private NetServer server;

  public LayerServer(Vertx vertx, Path socketPath, LayerRequestHandler handler) {
    this.vertx = vertx;
    this.socketPath = socketPath;
    this.handler = handler;
  }

  public Path socketPath() {
    return socketPath;
  }

  public Future<LayerServer> start() {
    if (!vertx.isNativeTransportEnabled()) {
      return Future.failedFuture(
          new IllegalStateException(
              "the layer server needs Vert.x native transport (epoll) for unix sockets: "
                  + vertx.unavailableNativeTransportCause()));
    }
    try {
      Files.deleteIfExists(socketPath);
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
    server =
        vertx
            .createNetServer()
            .connectHandler(
                sock -> {
                  LayerPeer peer = new LayerPeer(ids.incrementAndGet());
                  new LayerConnection(sock, peer, handler).start();
                });
    return server
        .listen(SocketAddress.domainSocketAddress(socketPath.toString()))
        .map(
            s -> {
              log.debug("layer server listening on {}", socketPath);
              return this;
            });
  }

  public Future<Void> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.andThen(
        ar -> {
          try {
            Files.deleteIfExists(socketPath);
          } catch (java.io.IOException ignored) {
            // best effort: the directory is the session's temp dir and goes away with it
          }
        });
  }
}
