package dev.mirrordj.agent.net;

import dev.mirrordj.agent.session.ClientSink;
import dev.mirrordj.protocol.Net;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outgoing TCP or unix-stream connection in the target's namespace, bridged to the client with
 * per-connection credits: when the client has not acknowledged {@link Net#INITIAL_WINDOW} bytes the
 * remote socket is paused, and client data is credited back only once the remote socket took it.
 * Confined to the namespaced event loop that owns the socket.
 */
final class StreamConnection implements OutgoingConnection {
  private static final Logger log = LoggerFactory.getLogger(StreamConnection.class);
  private final long connId;
  private final NetSocket socket;
  private final ClientSink sink;
  private final Runnable onGone;
  private int window = Net.INITIAL_WINDOW;
  private boolean paused;
  private boolean closed;
  private boolean eofSent;
  private boolean outputShut;
  private io.vertx.core.Future<Void> lastWrite = io.vertx.core.Future.succeededFuture();

  StreamConnection(long connId, NetSocket socket, ClientSink sink, Runnable onGone) {
    this.connId = connId;
    this.socket = socket;
    this.sink = sink;
    this.onGone = onGone;
  }

  void start() {
    // keep our write side open when the remote half-closes; Vert.x has no event for that, so a
    // pipeline handler reports it (deferred, so bytes Vert.x is still delivering go first)
    channel().config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, true);
    io.vertx.core.Context vctx = io.vertx.core.Vertx.currentContext();
    channel()
        .pipeline()
        .addFirst(
            "mirrordj-eof",
            new io.netty.channel.ChannelInboundHandlerAdapter() {
              @Override
              public void userEventTriggered(io.netty.channel.ChannelHandlerContext c, Object evt) {
                if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
                  vctx.runOnContext(v -> remoteEof());
                }
                c.fireUserEventTriggered(evt);
              }
            });
    socket.handler(this::fromRemote);
    socket.exceptionHandler(e -> finish(SocketErrors.errno(e)));
    socket.closeHandler(v -> finish(0));
  }

  private void remoteEof() {
    log.debug("conn {}: remote sent EOF", connId);
    if (closed || eofSent) {
      return;
    }
    eofSent = true;
    sink.send(new Net.Shutdown(connId), 0);
    if (outputShut) {
      socket.close();
    }
  }

  private void fromRemote(Buffer data) {
    log.trace("conn {} got {} from remote, window {}", connId, data.length(), window);
    for (int pos = 0; pos < data.length(); pos += Net.MAX_CHUNK) {
      sink.send(
          new Net.Data(connId, data.slice(pos, Math.min(data.length(), pos + Net.MAX_CHUNK))), 0);
    }
    window -= data.length();
    if (window <= 0 && !paused) {
      paused = true;
      setReading(false);
    }
  }

  @Override
  public void credit(int bytes) {
    window += bytes;
    if (window > 0 && paused) {
      paused = false;
      setReading(true);
    }
  }

  @Override
  public void data(Buffer data) {
    int n = data.length();
    log.trace("conn {} writing {} to remote", connId, n);
    lastWrite = socket.write(data);
    lastWrite.onSuccess(
        v -> {
          if (!closed && n > 0) {
            sink.send(new Net.Credit(connId, n), 0);
          }
        });
  }

  /**
   * Backpressure through Netty's autoRead rather than NetSocket.pause(): a paused NetSocket queues
   * what was already read and may report the close before that queue, losing the tail of the
   * stream. With autoRead off, bytes wait in the kernel and arrive in order.
   */
  private void setReading(boolean on) {
    channel().config().setAutoRead(on);
  }

  private io.netty.channel.Channel channel() {
    return ((NetSocketInternal) socket).channelHandlerContext().channel();
  }

  @Override
  public void shutdown() {
    // Netty's shutdownOutput fails writes still in its outbound buffer: wait for the last one
    lastWrite.onComplete(v -> shutdownOutput());
  }

  private void shutdownOutput() {
    // NetSocket has no half-close; Netty's shutdownOutput sends FIN and keeps reading
    var ch = channel();
    io.netty.util.concurrent.Future<Void> done;
    if (ch instanceof DuplexChannel duplex) {
      done = duplex.shutdownOutput();
    } else {
      log.warn(
          "conn {}: channel {} cannot half-close, closing it",
          connId,
          ch.getClass().getSimpleName());
      socket.close();
      return;
    }
    outputShut = true;
    done.addListener(
        f -> log.debug("conn {} shutdownOutput: {}", connId, f.isSuccess() ? "ok" : f.cause()));
    if (eofSent) {
      socket.close();
    }
  }

  /** Closes once the client's last bytes were written, as close(2) would let them go out. */
  @Override
  public void close() {
    closed = true;
    onGone.run();
    lastWrite.onComplete(v -> socket.close());
  }

  @Override
  public void reset() {
    closed = true;
    onGone.run();
    try {
      channel().config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
    } catch (RuntimeException e) {
      log.debug("conn {}: no SO_LINGER ({}), closing normally", connId, e.toString());
    }
    socket.close();
  }

  private void finish(int errno) {
    log.debug("conn {}: remote closed (errno {})", connId, errno);
    if (closed) {
      return;
    }
    closed = true;
    if (errno == 0 && !eofSent) {
      // Vert.x reports an orderly remote close without an end event: the client still needs its EOF
      sink.send(new Net.Shutdown(connId), 0);
    }
    sink.send(new Net.Close(connId, errno), 0);
    onGone.run();
  }
}
