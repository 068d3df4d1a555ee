package dev.mirrordj.agent.incoming.h2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.function.Consumer;

/**
 * One side of an HTTP/2 connection, spoken over any byte stream: a Netty HTTP/2 frame codec in an
 * {@link EmbeddedChannel}, fed with the bytes that arrive and producing the bytes to send. This
 * lets the router speak HTTP/2 to the client socket and to upstreams (real sockets or a stealing
 * client's channel) alike, on the connection's own event loop without touching Vert.x's pipeline.
 */
final class H2Endpoint {

  /** Where decoded frames go. */
  interface FrameSink {
    void frame(H2Endpoint from, Object frame);
  }

  private final EmbeddedChannel channel;
  private final Frames frames;
  private final Consumer<Buffer> output;

  /** Receives decoded frames; also the public way to create outgoing streams. */
  private static final class Frames extends Http2ChannelDuplexHandler {
    private final H2Endpoint owner;
    private final FrameSink sink;

    Frames(H2Endpoint owner, FrameSink sink) {
      this.owner = owner;
      this.sink = sink;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      sink.frame(owner, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      // stream state events are not needed: frames carry everything we route on
    }
  }

  private H2Endpoint(boolean server, FrameSink sink, Consumer<Buffer> output) {
    this.output = output;
    Http2FrameCodec codec =
        (server ? Http2FrameCodecBuilder.forServer() : Http2FrameCodecBuilder.forClient())
            .autoAckSettingsFrame(true)
            .autoAckPingFrame(true)
            .build();
    this.frames = new Frames(this, sink);
    this.channel = new EmbeddedChannel(codec, frames);
    flush();
  }

  /** The client-facing side: we are the HTTP/2 server. */
  static H2Endpoint server(FrameSink sink, Consumer<Buffer> output) {
    return new H2Endpoint(true, sink, output);
  }

  /** An upstream side: we are the HTTP/2 client (prior knowledge; the preface is sent at once). */
  static H2Endpoint client(FrameSink sink, Consumer<Buffer> output) {
    return new H2Endpoint(false, sink, output);
  }

  /** Bytes received from the peer. */
  void feed(Buffer data) {
    channel.writeInbound(((BufferInternal) data).getByteBuf().retainedDuplicate());
    flush();
  }

  /** A new outgoing stream (client side). */
  Http2FrameStream newStream() {
    return frames.newStream();
  }

  void write(Http2StreamFrame frame, Http2FrameStream stream) {
    channel.write(frame.stream(stream));
    flush();
  }

  void writeConnectionFrame(Object frame) {
    channel.write(frame);
    flush();
  }

  boolean isOpen() {
    return channel.isOpen();
  }

  void close() {
    channel.close();
    flush();
  }

  /** Sends whatever the codec produced to the peer. */
  private void flush() {
    channel.flush();
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      output.accept(BufferInternal.safeBuffer(out));
    }
    channel.runPendingTasks();
  }
}
