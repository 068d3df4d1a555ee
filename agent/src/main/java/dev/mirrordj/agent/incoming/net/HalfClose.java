package dev.mirrordj.agent.incoming.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * TCP half-close for relayed connections. Vert.x closes a socket when its peer shuts down its
 * sending side; a byte-exact relay must instead pass the FIN on and keep the other direction open
 * (a client that sends its request and shuts down writing still waits for the answer).
 *
 * <p>The FIN must also be seen <em>after</em> every byte that preceded it, even while the socket is
 * paused for backpressure. So the input-shutdown event is turned into an empty buffer in the Netty
 * pipeline (a real read is never empty), which travels through Vert.x's inbound queue, with its
 * pause/resume, behind the data. Data must therefore be consumed through {@link Tracker#handler},
 * not {@code NetSocket.handler}.
 */
public final class HalfClose {

  private HalfClose() {}

  /**
   * Takes over reading of {@code socket}: call before any data is read (socket paused or fresh).
   */
  public static Tracker track(NetSocket socket) {
    NetSocketInternal internal = (NetSocketInternal) socket;
    ChannelHandlerContext vertxHandler = internal.channelHandlerContext();
    Channel ch = vertxHandler.channel();
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    Tracker tracker = new Tracker();
    socket.handler(
        data -> {
          if (data.length() == 0) {
            tracker.fire();
          } else {
            tracker.data(data);
          }
        });
    ch.pipeline()
        .addBefore(
            vertxHandler.name(),
            "mirrordj-fin-marker",
            new ChannelInboundHandlerAdapter() {
              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object evt)
                  throws Exception {
                if (evt instanceof ChannelInputShutdownEvent) {
                  ctx.fireChannelRead(Unpooled.buffer(0));
                  // Vert.x holds back flushes while a read is in progress; end the read so
                  // writes made in reaction to the FIN go out (missing this stalled epoll relays)
                  ctx.fireChannelReadComplete();
                } else {
                  super.userEventTriggered(ctx, evt);
                }
              }
            });
    return tracker;
  }

  /** Reads of one socket: data, then possibly the peer's FIN. Used on the socket's event loop. */
  public static final class Tracker {
    private boolean seen;
    private Runnable action = () -> {};
    private Handler<Buffer> dataHandler = b -> {};

    private void fire() {
      seen = true;
      action.run();
    }

    private void data(Buffer b) {
      dataHandler.handle(b);
    }

    public boolean seen() {
      return seen;
    }

    /** Where the socket's data goes from now on. */
    public void handler(Handler<Buffer> h) {
      dataHandler = h;
    }

    /** Runs {@code r} when the FIN comes, or now if it already came. Replaces earlier actions. */
    public void onShutdown(Runnable r) {
      action = r;
      if (seen) {
        r.run();
      }
    }
  }

  /** Sends FIN after everything written so far has gone out; the socket can still receive. */
  public static void shutdownOutput(NetSocket socket) {
    Channel ch = ((NetSocketInternal) socket).channelHandlerContext().channel();
    if (!(ch instanceof DuplexChannel duplex)) {
      socket.end();
      return;
    }
    // Netty's shutdownOutput fails writes still pending, so wait until an empty write queued
    // behind them (in Vert.x's queue as well as Netty's) has completed
    socket
        .write(Buffer.buffer())
        .onComplete(
            ar -> {
              if (ch.isActive()) {
                duplex.shutdownOutput();
              }
            });
  }
}
