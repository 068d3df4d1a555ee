package dev.mirrordj.protocol.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ends of a relayed stream on a Vert.x {@link NetSocket}: the peer's FIN (half-close), our own
 * FIN, and RST. Vert.x closes a socket as soon as its peer shuts down its sending side, and reports
 * an orderly close and a reset alike; a relay that must keep one direction flowing after the other
 * ended, and pass a reset on as a reset, needs the three ends separately.
 *
 * <p>The peer's FIN must be seen <em>after</em> every byte that preceded it, even while the socket
 * is paused: the input-shutdown event becomes an empty buffer in the Netty pipeline (a real read is
 * never empty), which travels through Vert.x's inbound queue behind the data.
 */
public final class StreamEnds {
  private static final Logger log = LoggerFactory.getLogger(StreamEnds.class);

  private final NetSocket socket;
  private Handler<Buffer> dataHandler = b -> {};
  private Runnable finHandler = () -> {};
  private Handler<Boolean> closeHandler = reset -> {};
  private boolean finSeen;
  private boolean resetSeen;
  private boolean outputShut;

  private StreamEnds(NetSocket socket) {
    this.socket = socket;
  }

  /**
   * Takes over reading of {@code socket}. Call from its connect handler, before the event loop
   * reads anything (or while it is paused), so a FIN that comes early is not turned into a close.
   */
  public static StreamEnds track(NetSocket socket) {
    StreamEnds ends = new StreamEnds(socket);
    NetSocketInternal internal = (NetSocketInternal) socket;
    ChannelHandlerContext vertxHandler = internal.channelHandlerContext();
    Channel ch = vertxHandler.channel();
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    socket.handler(
        data -> {
          if (data.length() == 0) {
            ends.finSeen = true;
            ends.finHandler.run();
          } else {
            ends.dataHandler.handle(data);
          }
        });
    socket.exceptionHandler(
        e -> {
          // a reset shows as an IOException ("Connection reset by peer") before the close
          if (e instanceof IOException) {
            ends.resetSeen = true;
          }
          log.debug("stream {}: {}", socket.remoteAddress(), e.toString());
        });
    socket.closeHandler(v -> ends.closeHandler.handle(ends.resetSeen));
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
                  // Vert.x holds flushes back while a read is in progress: end the read so writes
                  // made in reaction to the FIN go out
                  ctx.fireChannelReadComplete();
                } else {
                  super.userEventTriggered(ctx, evt);
                }
              }
            });
    return ends;
  }

  /** Where the peer's bytes go. */
  public StreamEnds handler(Handler<Buffer> h) {
    dataHandler = h;
    return this;
  }

  /** Runs when the peer's FIN arrives, after all its bytes (or now if it already came). */
  public StreamEnds finHandler(Runnable r) {
    finHandler = r;
    if (finSeen) {
      r.run();
    }
    return this;
  }

  /** The socket is gone; the argument says whether it went by a reset. */
  public StreamEnds closeHandler(Handler<Boolean> h) {
    closeHandler = h;
    return this;
  }

  public boolean finSeen() {
    return finSeen;
  }

  public boolean outputShut() {
    return outputShut;
  }

  /**
   * Sends FIN once everything written so far has gone out; reading goes on. If the peer already
   * finished too, the socket is closed instead, which also ends in a FIN after the data.
   */
  public Future<Void> shutdownOutput() {
    if (outputShut) {
      return Future.succeededFuture();
    }
    outputShut = true;
    Channel ch = ((NetSocketInternal) socket).channelHandlerContext().channel();
    if (!(ch instanceof DuplexChannel duplex)) {
      return socket.end();
    }
    // Netty's shutdownOutput fails writes still pending, so it waits until an empty write queued
    // behind them (in Vert.x's queue as well as Netty's) has completed
    return socket
        .write(Buffer.buffer())
        .transform(
            ar -> {
              if (!ch.isActive()) {
                return Future.succeededFuture();
              }
              io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
              duplex
                  .shutdownOutput()
                  .addListener(
                      f -> {
                        if (f.isSuccess()) {
                          done.tryComplete();
                        } else {
                          done.tryFail(f.cause());
                        }
                      });
              return done.future();
            });
  }

  /** Closes with SO_LINGER 0, so a TCP peer gets RST (ECONNRESET), not an orderly end. */
  public void reset() {
    reset(socket);
  }

  /** Closes {@code socket} with SO_LINGER 0 (a unix socket has no reset: it is just closed). */
  public static void reset(NetSocket socket) {
    try {
      ((NetSocketInternal) socket)
          .channelHandlerContext()
          .channel()
          .config()
          .setOption(ChannelOption.SO_LINGER, 0);
    } catch (RuntimeException e) {
      log.debug("SO_LINGER not applicable ({}); closing normally", e.toString());
    }
    socket.close();
  }
}
