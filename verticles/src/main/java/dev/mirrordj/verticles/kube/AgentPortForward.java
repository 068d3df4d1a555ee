package dev.mirrordj.verticles.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.io.Closeable;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local TCP listener on 127.0.0.1 whose every connection is carried to {@code pod:port} through
 * the API server's {@code portforward} subresource (WebSocket, {@code v4.channel.k8s.io}). Opening
 * the WebSocket is retried with exponential backoff, because the API server or kubelet may refuse
 * the first attempts right after the agent pod became ready. The agent sees each local connection
 * as one client, exactly as with {@code connect_tcp}.
 */
public final class AgentPortForward implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentPortForward.class);
  static final int MAX_ATTEMPTS = 6;
  static final long FIRST_BACKOFF_MS = 50;

  private final Vertx vertx;
  private final KubernetesClient client;
  private final URI target;
  private final String label;
  private final AtomicInteger failedAttempts = new AtomicInteger();
  private NetServer server;

  private AgentPortForward(
      Vertx vertx, KubernetesClient client, String namespace, String pod, int port) {
    this.vertx = vertx;
    this.client = client;
    this.label = namespace + "/" + pod + ":" + port;
    String base = client.getMasterUrl().toString();
    this.target =
        URI.create(
            (base.endsWith("/") ? base : base + "/")
                + "api/v1/namespaces/"
                + namespace
                + "/pods/"
                + pod
                + "/portforward?ports="
                + port);
  }

  /** Starts listening on an ephemeral loopback port. */
  public static Future<AgentPortForward> open(
      Vertx vertx, KubernetesClient client, String namespace, String pod, int port) {
    AgentPortForward forward = new AgentPortForward(vertx, client, namespace, pod, port);
    forward.server = vertx.createNetServer().connectHandler(forward::bridge);
    return forward
        .server
        .listen(0, "127.0.0.1")
        .map(
            s -> {
              LOG.info("port-forward 127.0.0.1:{} -> {}", s.actualPort(), forward.label);
              return forward;
            });
  }

  public int localPort() {
    return server.actualPort();
  }

  /** WebSocket attempts that failed and were retried (or given up) since this forward opened. */
  public int failedAttempts() {
    return failedAttempts.get();
  }

  private void bridge(NetSocket local) {
    local.pause();
    connect(local, vertx.getOrCreateContext(), 1);
  }

  /**
   * {@code context} is the local connection's event loop: its handlers are set there, not on
   * fabric8's threads.
   */
  private void connect(NetSocket local, io.vertx.core.Context context, int attempt) {
    PortForwardChannel channel = new PortForwardChannel(vertx, local, label);
    client
        .getHttpClient()
        .newWebSocketBuilder()
        .uri(target)
        .subprotocol("v4.channel.k8s.io")
        .buildAsync(channel)
        .whenComplete(
            (ws, err) -> {
              if (err == null) {
                context.runOnContext(v -> channel.start(ws));
                return;
              }
              failedAttempts.incrementAndGet();
              String why = err.getMessage() == null ? err.toString() : err.getMessage();
              if (attempt >= MAX_ATTEMPTS) {
                LOG.warn(
                    "port-forward to {} failed {} times, giving up on this connection: {}",
                    label,
                    attempt,
                    why);
                local.close();
                return;
              }
              long backoff = FIRST_BACKOFF_MS << (attempt - 1);
              LOG.debug(
                  "port-forward to {} attempt {} failed ({}); retrying in {} ms",
                  label,
                  attempt,
                  why,
                  backoff);
              vertx.setTimer(backoff, t -> connect(local, context, attempt + 1));
            });
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  /** Used by {@link PortForwardChannel} for its log lines. */
  static Logger log() {
    return LOG;
  }
}
