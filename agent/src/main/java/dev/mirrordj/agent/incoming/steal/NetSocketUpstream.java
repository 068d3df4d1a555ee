package dev.mirrordj.agent.incoming.steal;

import dev.mirrordj.agent.incoming.net.HalfClose;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/** An {@link Upstream} that is a real TCP connection. */
public final class NetSocketUpstream implements Upstream {

  private final NetSocket socket;
  private final HalfClose.Tracker reads;

  /** Takes over reading of a fresh, paused socket. */
  public NetSocketUpstream(NetSocket socket) {
    this.socket = socket;
    this.reads = HalfClose.track(socket);
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
    socket.closeHandler(handler);
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
    reads.onShutdown(() -> handler.handle(null));
  }

  @Override
  public void shutdownOutput() {
    HalfClose.shutdownOutput(socket);
  }

  @Override
  public void end() {
    socket.end();
  }

  @Override
  public void close() {
    socket.close();
  }
}
