package dev.mirrordj.agent.incoming;

import dev.mirrordj.agent.incoming.steal.Upstream;
import dev.mirrordj.agent.session.ClientSink;
import dev.mirrordj.protocol.incoming.Incoming;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * A stealing client's end of one stolen connection, carried over the agent protocol: bytes we write
 * become {@code IN_DATA} frames (64 KiB at most), the client's frames come back through {@link
 * #fromClient}. Events are moved onto the stolen connection's event loop. Flow control per {@link
 * Incoming.Credit}: our writes count against the client's window ({@link #writeQueueFull} until it
 * credits them); the client's data is credited as soon as it is handed on, except while we are
 * paused, when the credit is held back, which stops the client.
 */
final class ProtocolUpstream implements Upstream {

  private static final int MAX_CHUNK = 64 * 1024;

  private final long connId;
  private final ClientSink sink;
  private final Context context;
  private Handler<Buffer> handler = b -> {};
  private Handler<Void> closeHandler = v -> {};
  private Handler<Void> shutdownHandler; // null: the consumer does not handle half-close
  private boolean closed;
  private boolean closedByReset;
  private long unacked;
  private Handler<Void> drainHandler;
  private boolean paused;
  private long withheldCredit;

  ProtocolUpstream(long connId, ClientSink sink, Context context) {
    this.connId = connId;
    this.sink = sink;
    this.context = context;
  }

  /** A frame from the client for this connection (any thread). */
  void fromClient(Object message) {
    context.runOnContext(
        v -> {
          if (message instanceof Incoming.Data d) {
            handler.handle(d.data());
            credit(d.data().length());
          } else if (message instanceof Incoming.Credit c) {
            unacked -= c.bytes();
            if (drainHandler != null && !writeQueueFull()) {
              Handler<Void> h = drainHandler;
              drainHandler = null;
              h.handle(null);
            }
          } else if (message instanceof Incoming.Shutdown) {
            if (shutdownHandler != null) {
              shutdownHandler.handle(null);
            } else {
              // a consumer without half-close (per-request routing) takes the program's FIN as the
              // end of its answers, as it always did; the client closes its side on our close
              closeFromClient();
              sink.send(new Incoming.Close(connId), 0);
            }
          } else if (message instanceof Incoming.Close c) {
            if (c.reset()) {
              closedByReset = true;
            }
            closeFromClient();
          }
        });
  }

  private void credit(long bytes) {
    if (paused) {
      withheldCredit += bytes;
    } else if (!closed) {
      sink.send(new Incoming.Credit(connId, (int) bytes), 0);
    }
  }

  /**
   * The stealing client's session ended: its side of this connection vanished with whatever it had
   * not sent yet, which the relay treats as a reset.
   */
  void clientGone() {
    context.runOnContext(
        v -> {
          closedByReset = true;
          closeFromClient();
        });
  }

  private void closeFromClient() {
    if (!closed) {
      closed = true;
      closeHandler.handle(null);
    }
  }

  @Override
  public void write(Buffer data) {
    for (int off = 0; off < data.length(); off += MAX_CHUNK) {
      sink.send(
          new Incoming.Data(connId, data.getBuffer(off, Math.min(data.length(), off + MAX_CHUNK))),
          0);
    }
    unacked += data.length();
  }

  @Override
  public boolean writeQueueFull() {
    return unacked >= Incoming.WINDOW;
  }

  @Override
  public void drainHandler(Handler<Void> h) {
    drainHandler = h;
  }

  @Override
  public void handler(Handler<Buffer> h) {
    handler = h;
  }

  @Override
  public void closeHandler(Handler<Void> h) {
    closeHandler = h;
  }

  @Override
  public void inputShutdownHandler(Handler<Void> h) {
    shutdownHandler = h;
  }

  @Override
  public void shutdownOutput() {
    sink.send(new Incoming.Shutdown(connId), 0);
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
    if (withheldCredit > 0) {
      long c = withheldCredit;
      withheldCredit = 0;
      credit(c);
    }
  }

  @Override
  public void end() {
    close();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      sink.send(new Incoming.Close(connId), 0);
    }
  }

  @Override
  public boolean closedByReset() {
    return closedByReset;
  }

  @Override
  public void reset() {
    if (!closed) {
      closed = true;
      sink.send(new Incoming.Close(connId, true), 0);
    }
  }
}
