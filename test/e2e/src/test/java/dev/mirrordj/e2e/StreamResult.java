package dev.mirrordj.e2e;

import dev.mirrordj.protocol.client.OutgoingStream;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletableFuture;

/** Collects everything an outgoing stream receives until the remote end shuts down or closes. */
final class StreamResult {
  private final Buffer received = Buffer.buffer();
  final CompletableFuture<Buffer> ended = new CompletableFuture<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();

  StreamResult(OutgoingStream stream) {
    stream.handler(
        b -> {
          synchronized (received) {
            received.appendBuffer(b);
          }
        });
    stream.endHandler(v -> ended.complete(snapshot()));
    stream.closeHandler(
        errno -> {
          closed.complete(errno);
          ended.complete(snapshot());
        });
  }

  Buffer snapshot() {
    synchronized (received) {
      return received.copy();
    }
  }

  /**
   * Polls until at least {@code n} bytes arrived (datagram replies, request/response exchanges).
   */
  Buffer awaitBytes(int n, java.time.Duration timeout) {
    dev.mirrordj.harness.Poll.until(
        n + " bytes from the stream", timeout, () -> snapshot().length() >= n);
    return snapshot();
  }
}
