package dev.mirrordj.agent.session;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.agent.fs.FileService;
import dev.mirrordj.agent.fs.PathResolver;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.FairFrameWriter;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.FrameDecoder;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.Net;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole-file fetch shares the client connection fairly: with the socket full, a pong goes out at
 * once and the fetch's chunks alternate with another connection's data frames, one frame each,
 * instead of either of them running ahead. The socket is a fake whose "kernel buffer" holds one
 * frame, drained by the test one frame at a time, so the order is exact, not timing-dependent.
 */
@Timeout(60)
class FetchFairnessTest {
  private static final int CHUNK = Net.MAX_CHUNK;
  @TempDir Path root;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void fetchChunksTakeTurnsWithOtherConnectionsAndNeverDelayAPong() throws Exception {
    java.nio.file.Files.write(
        root.resolve("big"), new byte[4 * CHUNK]); // 4 full chunks + the empty last one
    OneFrameSocket socket = new OneFrameSocket();
    socket.write(new Control.Ok().toWire(1)); // the socket starts full
    FairFrameWriter fair = new FairFrameWriter(socket, vertx.getOrCreateContext());
    ClientWriter sink = new ClientWriter(fair, () -> false);
    ClientWriter.FetchStream fetch = new ClientWriter.FetchStream(9);
    Thread producer =
        new Thread(
            () ->
                new FileRequestExecutor(new FileService(new PathResolver(root)))
                    .execute(new Files.Fetch("/big"), 9, sink),
            "fetch-producer");
    producer.start();
    await(() -> fair.queued(fetch) == ClientWriter.FETCH_AHEAD, "fetch queues its first chunks");
    for (int i = 0; i < 4; i++) {
      sink.send(new Net.Data(7, Buffer.buffer("d" + i)), 0);
    }
    sink.send(new Control.Pong(), 3);

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      // let the producer catch up, so each turn sees every stream that has something to send
      await(
          () -> !producer.isAlive() || fair.queued(fetch) == ClientWriter.FETCH_AHEAD,
          "fetch producer keeps up");
      order.add(show(socket.drainOne(() -> fair.queued(fetch) > 0 || fair.queued(7L) > 0)));
    }
    producer.join();
    assertEquals(
        List.of("Ok", "Pong", "chunk", "d0", "chunk", "d1", "chunk", "d2", "chunk", "d3", "last"),
        order);
    assertTrue(socket.pending.isEmpty(), "nothing else was written: " + socket.pending.size());
  }

  private static String show(Buffer frame) {
    List<Message> m = new ArrayList<>();
    new FrameDecoder(f -> m.add(MessageCodec.decode(f))).feed(frame);
    Message msg = m.get(0);
    if (msg instanceof Files.Chunk c) {
      return c.last() ? "last" : "chunk";
    }
    if (msg instanceof Net.Data d) {
      return d.data().toString();
    }
    return msg.getClass().getSimpleName();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      Thread.sleep(5);
    }
  }

  /**
   * A socket whose write queue is full while one frame is unread; the test reads frame by frame.
   */
  private static final class OneFrameSocket implements WriteStream<Buffer> {
    final List<Buffer> pending = new ArrayList<>();
    private Handler<Void> drain;

    @Override
    public synchronized Future<Void> write(Buffer data) {
      pending.add(data);
      return Future.succeededFuture();
    }

    /**
     * Reads the oldest frame; calls the drain handler (once, as Vert.x does) if there is room
     * again.
     */
    Buffer drainOne(BooleanSupplier writerHasQueued) throws InterruptedException {
      Buffer b;
      synchronized (this) {
        assertFalse(pending.isEmpty(), "a frame should be waiting");
        b = pending.remove(0);
        if (!pending.isEmpty()) {
          return b; // still full: no drain event
        }
      }
      // room again: the writer arms its drain handler on the event loop, wait for it if it has more
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (true) {
        Handler<Void> h;
        synchronized (this) {
          h = drain;
          drain = null;
        }
        if (h != null) {
          h.handle(null);
          return b;
        }
        if (!writerHasQueued.getAsBoolean()) {
          return b;
        }
        assertTrue(System.nanoTime() < deadline, "the writer never asked to be told about room");
        Thread.sleep(5);
      }
    }

    @Override
    public synchronized boolean writeQueueFull() {
      return !pending.isEmpty();
    }

    @Override
    public synchronized WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      drain = handler;
      return this;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }
  }
}
