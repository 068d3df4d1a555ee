package dev.mirrordj.agent.runtime.impl;

import dev.mirrordj.agent.runtime.ContainerNotFoundException;
import dev.mirrordj.agent.runtime.ContainerRuntimeException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One unary gRPC call over HTTP/2 (prior knowledge, as gRPC over a unix socket is): the request is
 * a single length-prefixed message, the answer is one message plus {@code grpc-status} in the
 * trailers (or, for an immediate error, in the headers: a "trailers-only" response).
 */
final class GrpcUnaryCall {
  /** gRPC status NOT_FOUND. */
  private static final int NOT_FOUND = 5;

  private GrpcUnaryCall() {}

  static Future<byte[]> call(
      HttpClient http2, SocketAddress socket, String method, MultiMap metadata, byte[] request) {
    RequestOptions options =
        new RequestOptions()
            .setServer(socket)
            .setHost("localhost")
            .setMethod(HttpMethod.POST)
            .setURI(method)
            .putHeader("content-type", "application/grpc")
            .putHeader("te", "trailers");
    metadata.forEach(options::putHeader);
    return http2
        .request(options)
        .compose(req -> req.send(frame(request)))
        .compose(resp -> resp.body().map(body -> answer(method, resp, body)));
  }

  private static Buffer frame(byte[] message) {
    return Buffer.buffer(5 + message.length)
        .appendByte((byte) 0)
        .appendInt(message.length)
        .appendBytes(message);
  }

  private static byte[] answer(String method, HttpClientResponse resp, Buffer body) {
    if (resp.statusCode() != 200) {
      throw new ContainerRuntimeException(
          method + " answered HTTP " + resp.statusCode() + " instead of a gRPC response");
    }
    String status = resp.trailers().get("grpc-status");
    String message = resp.trailers().get("grpc-message");
    if (status == null) {
      status = resp.getHeader("grpc-status");
      message = resp.getHeader("grpc-message");
    }
    if (status == null) {
      throw new ContainerRuntimeException(method + " answered without a grpc-status");
    }
    int code = Integer.parseInt(status.trim());
    String text = message == null ? "" : URLDecoder.decode(message, StandardCharsets.UTF_8);
    if (code == NOT_FOUND) {
      throw new ContainerNotFoundException(text.isEmpty() ? "not found" : text);
    }
    if (code != 0) {
      throw new ContainerRuntimeException(
          method + " failed with gRPC status " + code + (text.isEmpty() ? "" : ": " + text));
    }
    return unframe(method, body);
  }

  private static byte[] unframe(String method, Buffer body) {
    if (body.length() < 5) {
      throw new ContainerRuntimeException(
          method + " returned " + body.length() + " bytes, fewer than a gRPC message header");
    }
    if (body.getByte(0) != 0) {
      throw new ContainerRuntimeException(
          method + " returned a compressed message; we never asked " + "for compression");
    }
    int len = body.getInt(1);
    if (len < 0 || len != body.length() - 5) {
      throw new ContainerRuntimeException(
          method
              + " returned a message of "
              + (body.length() - 5)
              + " bytes but its header says "
              + len);
    }
    return body.getBytes(5, 5 + len);
  }
}
