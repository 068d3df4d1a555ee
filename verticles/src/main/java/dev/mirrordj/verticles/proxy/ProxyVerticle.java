package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.LayerPeer;
import dev.mirrordj.layerbridge.LayerRequestHandler;
import dev.mirrordj.layerbridge.LayerServer;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.bus.Codecs;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local internal proxy: accepts every layer of the session on one unix socket and serves them
 * all through one shared {@link RemoteTarget} (the agent connection). Tracks layer connections for
 * internal_proxy.start_idle_timeout / idle_timeout.
 *
 * <p>On the bus: layer listener events go out as {@link Messages.Listen}, {@link
 * Messages.ListenerClosed}, {@link Messages.BindBusy} (request) and {@link Messages.ProcessGone};
 * it takes {@link Messages.ListenPorts} on {@link Addresses#LOCAL_PROXY_LISTEN_PORTS} and publishes
 * {@link Messages.ProxyIdle} when it gives up waiting for a layer. Layer requests themselves never
 * cross the bus: they go straight from the layer socket to the {@link RemoteTarget}.
 */
public final class ProxyVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ProxyVerticle.class);

  private final ProxySettings settings;
  private final RemoteTarget remote;
  private final Path sessionDir;
  private final AtomicInteger active = new AtomicInteger();
  private final Promise<Void> idle = Promise.promise();
  private volatile boolean everConnected;
  private long idleTimer = -1;
  private LayerServer server;
  private ProxyHandler handler;
  private MessageConsumer<Messages.ListenPorts> listenPorts;

  public ProxyVerticle(ProxySettings settings, RemoteTarget remote, Path sessionDir) {
    this.settings = settings;
    this.remote = remote.withReadBuffer(settings.readonlyFileBuffer());
    this.sessionDir = sessionDir;
  }

  /** Where layers connect (MIRRORD_LAYER_SOCK). */
  public Path socketPath() {
    return sessionDir.resolve("layer.sock");
  }

  public ProxyHandler handler() {
    return handler;
  }

  /**
   * A client other than a layer connection (the seccomp supervisor's program) started: the proxy
   * counts it like a layer connection for its idle timeouts.
   */
  public void externalClientOpened() {
    context.runOnContext(v -> connectionOpened());
  }

  /** The external client of {@link #externalClientOpened} is gone. */
  public void externalClientClosed() {
    context.runOnContext(v -> connectionClosed());
  }

  /** Open layer connections right now. */
  public int activeConnections() {
    return active.get();
  }

  public boolean everConnected() {
    return everConnected;
  }

  /**
   * Completes when the session is idle: idle_timeout after the last layer connection closed, or
   * fails when no layer connected within start_idle_timeout.
   */
  public Future<Void> idle() {
    return idle.future();
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    handler = new ProxyHandler(vertx, settings, remote, sessionDir);
    listenPorts =
        vertx
            .eventBus()
            .<Messages.ListenPorts>consumer(
                Addresses.LOCAL_PROXY_LISTEN_PORTS,
                m -> {
                  handler.useListenPorts(m.body().requestedToLocal());
                  m.reply(null);
                });
    server = new LayerServer(vertx, socketPath(), new Counting(handler));
    return listenPorts
        .completion()
        .compose(v -> server.start())
        .onSuccess(
            s -> {
              idleTimer =
                  vertx.setTimer(settings.startIdleTimeout().toMillis(), t -> giveUpWaiting());
              log.debug("proxy ready on {}", socketPath());
            });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.stop();
  }

  /**
   * internal_proxy.start_idle_timeout passed with no layer: the proxy stops listening, so a layer
   * loaded later cannot reach it (its remote operations fail with EIO) instead of being served
   * late.
   */
  private void giveUpWaiting() {
    idleTimer = -1;
    if (everConnected) return;
    log.debug("no layer connected within start_idle_timeout; closing {}", socketPath());
    server
        .stop()
        .onComplete(
            ar -> {
              String reason =
                  "no layer connected within internal_proxy.start_idle_timeout ("
                      + settings.startIdleTimeout().toSeconds()
                      + " s)";
              vertx.eventBus().publish(Addresses.LOCAL_PROXY_IDLE, new Messages.ProxyIdle(reason));
              idle.tryFail(reason);
            });
  }

  private void connectionOpened() {
    everConnected = true;
    active.incrementAndGet();
    if (idleTimer >= 0) vertx.cancelTimer(idleTimer);
    idleTimer = -1;
  }

  private void connectionClosed() {
    if (active.decrementAndGet() == 0) {
      idleTimer =
          vertx.setTimer(
              settings.idleTimeout().toMillis(),
              t -> {
                if (active.get() == 0) idle.tryComplete();
              });
    }
  }

  /** Wraps the handler to count connections (called on this verticle's event loop). */
  private final class Counting implements LayerRequestHandler {
    private final ProxyHandler inner;

    Counting(ProxyHandler inner) {
      this.inner = inner;
    }

    @Override
    public Future<LayerReply> handle(LayerPeer peer, LayerRequest request) {
      return inner.handle(peer, request);
    }

    @Override
    public void connected(LayerPeer peer) {
      connectionOpened();
      inner.connected(peer);
    }

    @Override
    public void disconnected(LayerPeer peer) {
      inner.disconnected(peer);
      connectionClosed();
    }
  }
}
