package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.NetnsExecutor;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server clients of the container node talk to: every request goes on to fabric8's mock
 * (the objects), except the two a real API server hands to the kubelet, which the {@link
 * ContainerKubelet} answers from the containers it runs:
 *
 * <ul>
 *   <li>{@code pods/{pod}/log}: the container's output ({@code podman logs});
 *   <li>{@code pods/{pod}/portforward} WebSocket upgrades ({@code v4.channel.k8s.io}): like the
 *       kubelet, a TCP connection to {@code 127.0.0.1:port} made inside the pod's network
 *       namespace, its bytes carried on the data channel, the port number first on both channels, a
 *       failure as text on the error channel.
 * </ul>
 */
final class KubeApiFront implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeApiFront.class);
  private static final Pattern PORT_FORWARD =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/portforward");
  private static final Pattern LOG_PATH =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log");
  private static final Set<String> HOP_HEADERS =
      Set.of("host", "connection", "transfer-encoding", "upgrade", "keep-alive", "content-length");

  private final Vertx vertx;
  private final URI backend;
  private final HttpClient http;
  private final ContainerKubelet kubelet;

  /** Blocking socket work of the port-forwards: a reader and a writer per stream. */
  private final ExecutorService streams =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "api-front-stream");
            t.setDaemon(true);
            return t;
          });

  private HttpServer server;

  private KubeApiFront(Vertx vertx, URI backend, ContainerKubelet kubelet) {
    this.vertx = vertx;
    this.backend = backend;
    this.kubelet = kubelet;
    this.http = vertx.createHttpClient();
  }

  static KubeApiFront start(Vertx vertx, String mockUrl, ContainerKubelet kubelet) {
    KubeApiFront front = new KubeApiFront(vertx, URI.create(mockUrl), kubelet);
    front.server =
        vertx
            .createHttpServer(new HttpServerOptions().addWebSocketSubProtocol("v4.channel.k8s.io"))
            .requestHandler(front::handle)
            .webSocketHandler(front::portForward);
    front.server.listen(0, "127.0.0.1").await();
    return front;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/";
  }

  private void handle(HttpServerRequest req) {
    Matcher log = LOG_PATH.matcher(req.path());
    if (log.matches()) {
      vertx
          .executeBlocking(() -> kubelet.logs(log.group(1), log.group(2)), false)
          .onComplete(
              done -> {
                if (done.failed() || done.result() == null) {
                  req.response()
                      .setStatusCode(404)
                      .end(
                          "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404,"
                              + "\"message\":\"pod "
                              + log.group(2)
                              + " runs no container on this node\"}");
                } else {
                  req.response().putHeader("content-type", "text/plain").end(done.result());
                }
              });
      return;
    }
    proxy(req);
  }

  private void proxy(HttpServerRequest req) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(req.method())
            .setHost(backend.getHost())
            .setPort(backend.getPort())
            .setURI(req.uri());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    req.headers()
        .forEach(
            (k, v) -> {
              if (!HOP_HEADERS.contains(k.toLowerCase())) {
                headers.add(k, v);
              }
            });
    options.setHeaders(headers);
    req.body()
        .compose(body -> http.request(options).compose(out -> out.send(body)))
        .compose(
            resp ->
                resp.body()
                    .map(
                        body -> {
                          var answer = req.response().setStatusCode(resp.statusCode());
                          resp.headers()
                              .forEach(
                                  (k, v) -> {
                                    if (!HOP_HEADERS.contains(k.toLowerCase())) {
                                      answer.headers().add(k, v);
                                    }
                                  });
                          answer
                              .putHeader(
                                  HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
                              .end(body);
                          return null;
                        }))
        .onFailure(err -> req.response().setStatusCode(502).end("front: " + err.getMessage()));
  }

  private void portForward(ServerWebSocket ws) {
    Matcher m = PORT_FORWARD.matcher(ws.path());
    String query = ws.query() == null ? "" : ws.query();
    if (!m.matches() || !query.startsWith("ports=")) {
      ws.close((short) 1008, "not a port-forward");
      return;
    }
    int port = Integer.parseInt(query.substring("ports=".length()));
    Buffer portBytes =
        Buffer.buffer().appendByte((byte) (port & 0xFF)).appendByte((byte) (port >> 8));
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 0).appendBuffer(portBytes));
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 1).appendBuffer(portBytes));
    var pod = kubelet.pod(m.group(1), m.group(2));
    if (pod.isEmpty()) {
      error(ws, "pod " + m.group(2) + " does not run on this node");
      return;
    }
    ws.pause();
    long pid = pod.get().pid();
    vertx
        .executeBlocking(() -> connectInside(pid, port), false)
        .onFailure(
            err ->
                error(
                    ws,
                    "error forwarding port "
                        + port
                        + " to pod "
                        + m.group(2)
                        + ": "
                        + err.getMessage()))
        .onSuccess(socket -> pipe(ws, socket));
  }

  /** A TCP connection to the pod's own loopback, made by a thread inside the pod's namespace. */
  private static Socket connectInside(long pid, int port) throws IOException {
    try (NetnsExecutor inPod = new NetnsExecutor(Path.of("/proc/" + pid + "/ns/net"))) {
      return inPod.call(
          () -> {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setTcpNoDelay(true);
            return s;
          });
    }
  }

  private void pipe(ServerWebSocket ws, Socket socket) {
    OutputStream toPod;
    InputStream fromPod;
    try {
      toPod = socket.getOutputStream();
      fromPod = socket.getInputStream();
    } catch (IOException e) {
      error(ws, e.getMessage());
      return;
    }
    // writes keep their order on one thread of their own, off the event loop
    ExecutorService writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "api-front-writer");
              t.setDaemon(true);
              return t;
            });
    ws.binaryMessageHandler(
        frame -> {
          if (frame.length() > 1 && frame.getByte(0) == 0) {
            byte[] bytes = frame.getBytes(1, frame.length());
            writer.execute(
                () -> {
                  try {
                    toPod.write(bytes);
                  } catch (IOException e) {
                    closeQuietly(socket);
                  }
                });
          }
        });
    ws.closeHandler(
        v ->
            writer.execute(
                () -> {
                  closeQuietly(socket);
                  writer.shutdown();
                }));
    streams.execute(
        () -> {
          byte[] buf = new byte[64 * 1024];
          try {
            int n;
            while ((n = fromPod.read(buf)) >= 0) {
              ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 0).appendBytes(buf, 0, n));
            }
          } catch (IOException e) {
            LOG.debug("port-forward stream ended: {}", e.toString());
          } finally {
            vertx.runOnContext(v -> ws.close());
          }
        });
    ws.resume();
  }

  private static void error(ServerWebSocket ws, String message) {
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 1).appendString(message))
        .onComplete(done -> ws.close());
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed by the other direction
    }
  }

  @Override
  public void close() {
    server.close().await();
    http.close();
    streams.shutdownNow();
  }
}
