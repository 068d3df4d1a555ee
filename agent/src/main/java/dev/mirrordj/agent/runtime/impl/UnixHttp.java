package dev.mirrordj.agent.runtime.impl;

import dev.mirrordj.agent.runtime.ContainerRuntimeException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

/** A JSON GET over HTTP/1.1 on a unix socket, shared by the Docker and CRI-O clients. */
final class UnixHttp {

  /** The status, the body as JSON when it is a JSON object, and a one-line message for errors. */
  record Answer(int status, JsonObject json, String message) {}

  private UnixHttp() {}

  static Future<Answer> getJson(HttpClient http, SocketAddress socket, String uri, String host) {
    RequestOptions options =
        new RequestOptions().setServer(socket).setHost(host).setMethod(HttpMethod.GET).setURI(uri);
    return http.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> answer(resp.statusCode(), body)))
        .recover(
            err ->
                Future.failedFuture(
                    err instanceof ContainerRuntimeException
                        ? err
                        : new ContainerRuntimeException(
                            "GET " + uri + " on " + socket.path() + " failed: " + err.getMessage(),
                            err)));
  }

  private static Answer answer(int status, Buffer body) {
    JsonObject json;
    try {
      json = body.length() == 0 ? new JsonObject() : new JsonObject(body);
    } catch (DecodeException | ClassCastException notJson) {
      if (status == 200) {
        throw new ContainerRuntimeException(
            "runtime answered 200 with a body that is not a JSON "
                + "object: "
                + abbreviate(body.toString()));
      }
      json = new JsonObject();
    }
    String message = json.getString("message", abbreviate(body.toString().trim()));
    return new Answer(status, json, message);
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
