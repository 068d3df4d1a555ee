package dev.mirrordj.layerbridge;

import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.protocol.Errno;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames one layer socket (u32 length + body), decodes requests, hands them to the handler one at a
 * time (the layer waits for each reply) and writes the replies back. A malformed frame closes only
 * this connection.
 */
final class LayerConnection {
  private static final Logger log = LoggerFactory.getLogger(LayerConnection.class);
  static final int MAX_FRAME = 256 * 1024 * 1024;

  private final NetSocket socket;
  private final LayerPeer peer;
  private final LayerRequestHandler handler;
  private final RecordParser parser;
  private boolean expectingHeader = true;

  LayerConnection(NetSocket socket, LayerPeer peer, LayerRequestHandler handler) {
    this.socket = socket;
    this.peer = peer;
    this.handler = handler;
    this.parser = RecordParser.newFixed(4, this::onRecord);
  }

  void start() {
    handler.connected(peer);
    socket.handler(parser);
    socket.closeHandler(v -> handler.disconnected(peer));
    socket.exceptionHandler(e -> log.debug("{}: socket error: {}", peer, e.toString()));
  }

  private void onRecord(Buffer record) {
    if (expectingHeader) {
      int len = record.getInt(0);
      if (len < 1 || len > MAX_FRAME) {
        fail("frame length " + Integer.toUnsignedString(len) + " outside 1.." + MAX_FRAME);
        return;
      }
      expectingHeader = false;
      parser.fixedSizeMode(len);
      return;
    }
    expectingHeader = true;
    parser.fixedSizeMode(4);
    LayerRequest request;
    try {
      request = LayerCodec.decode(record);
    } catch (LayerProtocolException e) {
      fail(e.getMessage());
      return;
    }
    if (request instanceof LayerRequest.Hello h) {
      peer.hello(h);
    } else if (peer.hello() == null) {
      fail("first request must be Hello, got " + request.getClass().getSimpleName());
      return;
    }
    socket.pause();
    handler
        .handle(peer, request)
        .recover(
            err -> {
              log.warn(
                  "{}: {} failed: {}", peer, request.getClass().getSimpleName(), err.toString());
              return io.vertx.core.Future.succeededFuture(LayerReply.errno(Errno.EIO));
            })
        .onComplete(
            ar -> {
              LayerReply reply = ar.result() == null ? LayerReply.errno(Errno.EIO) : ar.result();
              socket.write(LayerCodec.encode(reply));
              socket.resume();
            });
  }

  private void fail(String reason) {
    log.warn("{}: closing layer connection: {}", peer, reason);
    socket.close();
  }
}
