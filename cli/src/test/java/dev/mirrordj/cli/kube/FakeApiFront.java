package dev.mirrordj.cli.kube;

import io.vertx.core.Future;
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
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API-server front for end-to-end tests: every request is passed to the fabric8 mock server,
 * except {@code pods/{pod}/portforward} WebSocket upgrades, which the mock can only script. Those
 * it serves like the API server and kubelet do: {@code v4.channel.k8s.io} frames, the port number
 * first on the data and error channels, then the bytes of a TCP connection to where the fake node
 * says the agent of that pod listens ({@link #route}). The launcher's real port-forward code runs
 * unchanged.
 */
final class FakeApiFront implements AutoCloseable {
  private static final Pattern PORT_FORWARD =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/portforward");
  private static final Set<String> HOP_HEADERS =
      Set.of("host", "connection", "transfer-encoding", "upgrade", "keep-alive", "content-length");

  private final Vertx vertx;

  /**
   * One client for every forwarded stream, held here: Vert.x closes a collected NetClient's
   * connections.
   */
  private io.vertx.core.net.NetClient agentClient;

  private final URI backend;
  private final HttpClient http;
  private final Map<String, SocketAddress> routes = new ConcurrentHashMap<>();
  private HttpServer server;

  private FakeApiFront(Vertx vertx, URI backend) {
    this.vertx = vertx;
    this.backend = backend;
    this.http = vertx.createHttpClient();
  }

  static FakeApiFront start(Vertx vertx, String mockUrl) {
    FakeApiFront front = new FakeApiFront(vertx, URI.create(mockUrl));
    front.server =
        vertx
            .createHttpServer(new HttpServerOptions().addWebSocketSubProtocol("v4.channel.k8s.io"))
            .requestHandler(front::proxy)
            .webSocketHandler(front::portForward);
    front.server.listen(0, "127.0.0.1").await();
    return front;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/";
  }

  /** Port-forwards to {@code ns/pod:podPort} reach {@code agent}. */
  void route(String ns, String pod, int podPort, SocketAddress agent) {
    routes.put(ns + "/" + pod + ":" + podPort, agent);
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
    SocketAddress agent = routes.get(m.group(1) + "/" + m.group(2) + ":" + port);
    if (agent == null) {
      error(ws, "pod " + m.group(2) + " has nothing listening on port " + port);
      return;
    }
    ws.pause();
    if (agentClient == null) {
      agentClient = vertx.createNetClient();
    }
    Future<io.vertx.core.net.NetSocket> connect = agentClient.connect(agent);
    connect.onFailure(err -> error(ws, "error forwarding port " + port + ": " + err.getMessage()));
    connect.onSuccess(
        tcp -> {
          tcp.handler(
              data ->
                  ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 0).appendBuffer(data)));
          tcp.closeHandler(v -> ws.close());
          ws.binaryMessageHandler(
              frame -> {
                if (frame.length() > 1 && frame.getByte(0) == 0) {
                  tcp.write(frame.slice(1, frame.length()));
                }
              });
          ws.closeHandler(v -> tcp.close());
          ws.resume();
        });
  }

  private static void error(ServerWebSocket ws, String message) {
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 1).appendString(message))
        .onComplete(done -> ws.close());
  }

  @Override
  public void close() {
    server.close().await();
    http.close();
  }
}
