package dev.mirrordj.verticles.cluster;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP port: {@code GET /api/v1/status} (the status document), {@code DELETE
 * /api/v1/sessions/:id} (kill a session) and {@code GET /} (the same data as an HTML page rendered
 * here with Pebble, which reloads itself every 2 s).
 */
public final class StatusVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(StatusVerticle.class);
  public static final String STATUS_PATH = "/api/v1/status";

  private final String host;
  private final int port;
  private HttpServer server;
  private PebbleTemplate page;

  public StatusVerticle(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    page =
        new PebbleEngine.Builder()
            .loader(new ClasspathLoader(StatusVerticle.class.getClassLoader()))
            .autoEscaping(true)
            .build()
            .getTemplate("operator/status.peb");
    Router router = Router.router(vertx);
    router
        .get(STATUS_PATH)
        .handler(rc -> status().onSuccess(s -> json(rc, 200, s)).onFailure(rc::fail));
    router.delete("/api/v1/sessions/:id").handler(this::kill);
    router.get("/").handler(this::page);
    server = vertx.createHttpServer().requestHandler(router);
    return server
        .listen(port, host)
        .onSuccess(s -> log.info("operator status on http://{}:{}/", host, s.actualPort()));
  }

  public int actualPort() {
    return server.actualPort();
  }

  private Future<JsonObject> status() {
    return vertx.eventBus().<JsonObject>request(OperatorAddresses.STATUS, null).map(m -> m.body());
  }

  private void kill(RoutingContext rc) {
    vertx
        .eventBus()
        .<JsonObject>request(
            OperatorAddresses.SESSION_KILL, new JsonObject().put("id", rc.pathParam("id")))
        .onSuccess(m -> json(rc, 200, m.body()))
        .onFailure(
            e ->
                json(
                    rc,
                    e instanceof ReplyException re && re.failureCode() == 404 ? 404 : 500,
                    new JsonObject().put("error", e.getMessage())));
  }

  private void page(RoutingContext rc) {
    status()
        .onSuccess(
            s -> {
              StringWriter out = new StringWriter();
              try {
                page.evaluate(out, model(s));
              } catch (IOException e) {
                rc.fail(e);
                return;
              }
              rc.response()
                  .putHeader("content-type", "text/html; charset=utf-8")
                  .end(out.toString());
            })
        .onFailure(rc::fail);
  }

  /** The template's data: plain maps and lists, with each session's age. */
  private static Map<String, Object> model(JsonObject status) {
    Instant now = Instant.now();
    List<Map<String, Object>> sessions =
        status.getJsonArray("sessions").stream()
            .map(o -> ((JsonObject) o).getMap())
            .peek(
                s -> {
                  Duration age = Duration.between(Instant.parse((String) s.get("started")), now);
                  s.put("age", age.toSeconds() + " s");
                })
            .toList();
    return Map.of(
        "nodes",
        status.getJsonArray("nodes").stream().map(o -> ((JsonObject) o).getMap()).toList(),
        "sessions",
        sessions,
        "locks",
        status.getJsonArray("locks").stream().map(o -> ((JsonObject) o).getMap()).toList());
  }

  private static void json(RoutingContext rc, int code, JsonObject body) {
    rc.response()
        .setStatusCode(code)
        .putHeader("content-type", "application/json")
        .end(body.encodePrettily());
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }
}
