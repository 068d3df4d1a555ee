package dev.mirrordj.agent.incoming.steal;

import dev.mirrordj.protocol.net.StreamEnds;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/** An {@link Upstream} that is a real TCP connection. */
public final class NetSocketUpstream implements Upstream {

  private final NetSocket socket;
  private final StreamEnds reads;
  private boolean closedByReset;

  /** Takes over reading of a fresh, paused socket. */
  public NetSocketUpstream(NetSocket socket) {
    this.socket = socket;
    this.reads = StreamEnds.track(socket);
  }

  public NetSocket socket() {
    return socket;
  }

  @Override
  public void write(Buffer data) {
    socket.write(data);
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
  }

  @Override
  public void handler(Handler<Buffer> handler) {
    reads.handler(handler);
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    reads.closeHandler(
        reset -> {
          closedByReset = reset;
          handler.handle(null);
        });
  }

  @Override
  public boolean closedByReset() {
    return closedByReset;
  }

  @Override
  public void pause() {
    socket.pause();
  }

  @Override
  public void resume() {
    socket.resume();
  }

  @Override
  public void inputShutdownHandler(Handler<Void> handler) {
    reads.finHandler(() -> handler.handle(null));
  }

  @Override
  public void shutdownOutput() {
    reads.shutdownOutput();
  }

  @Override
  public void end() {
    socket.end();
  }

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public void reset() {
    reads.reset();
  }
}
