package dev.mirrordj.layerbridge;

import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import io.vertx.core.Future;

/** What the proxy implements: answers every layer request. Called on the server's event loop. */
public interface LayerRequestHandler {

  /** Answers one request. A failed future is sent to the layer as EIO and logged. */
  Future<LayerReply> handle(LayerPeer peer, LayerRequest request);

  /** A layer connection opened (before its Hello). */
  default void connected(LayerPeer peer) {}

  /** A layer connection closed (process exited, or the thread's connection went away). */
  default void disconnected(LayerPeer peer) {}
}
