package dev.mirrordj.cli;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * A plain TCP echo on loopback with a client connected to it: the anchor an agent round trip is
 * compared with. The exchange has the size of a ping frame and is timed the same way (on the
 * client's event loop, from the write to the last byte back), so the difference between the two is
 * what the agent's protocol and processing add.
 */
final class LoopbackEcho implements AutoCloseable {
  /** A ping frame's size on the wire (length, type, request id). */
  static final int EXCHANGE_BYTES = 10;

  private final NetServer server;
  private final NetSocket client;
  private final Context context;
  private Promise<Long> pending;
  private long start;
  private int received;

  private LoopbackEcho(NetServer server, NetSocket client, Context context) {
    this.server = server;
    this.client = client;
    this.context = context;
    client.handler(this::onBytes);
  }

  static Future<LoopbackEcho> start(Vertx vertx) {
    Context ctx = vertx.getOrCreateContext();
    Promise<LoopbackEcho> started = Promise.promise();
    ctx.runOnContext(
        v -> {
          NetServer server =
              vertx
                  .createNetServer(new NetServerOptions().setTcpNoDelay(true))
                  .connectHandler(s -> s.handler(s::write));
          server
              .listen(0, "127.0.0.1")
              .compose(
                  s ->
                      vertx
                          .createNetClient(new NetClientOptions().setTcpNoDelay(true))
                          .connect(s.actualPort(), "127.0.0.1"))
              .map(sock -> new LoopbackEcho(server, sock, ctx))
              .onComplete(started);
        });
    return started.future();
  }

  /** One exchange; completes with its round-trip time in nanoseconds. */
  Future<Long> roundTrip() {
    Promise<Long> rtt = Promise.promise();
    context.runOnContext(
        v -> {
          pending = rtt;
          received = 0;
          start = System.nanoTime();
          client.write(Buffer.buffer(new byte[EXCHANGE_BYTES]));
        });
    return rtt.future();
  }

  private void onBytes(Buffer b) {
    received += b.length();
    if (pending != null && received >= EXCHANGE_BYTES) {
      Promise<Long> p = pending;
      pending = null;
      p.tryComplete(System.nanoTime() - start);
    }
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
