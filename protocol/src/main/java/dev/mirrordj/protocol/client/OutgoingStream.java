package dev.mirrordj.protocol.client;

import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Net;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;

/**
 * Client end of one outgoing connection made by the agent in the target's network. Writes respect
 * the agent's credit window (they queue, never block); received data is credited back once the data
 * handler has taken it, and not while {@link #pause() paused}, so a slow consumer only slows
 * itself.
 */
public final class OutgoingStream {
  private record PendingWrite(Buffer data, Promise<Void> done) {}

  private final AgentClient client;
  private final long connId;
  private final int kind;
  private final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
  private final ArrayDeque<Buffer> received = new ArrayDeque<>();
  private Net.Connected info;
  private int sendWindow = Net.INITIAL_WINDOW;
  private boolean paused;
  private boolean shutdownRequested;
  private boolean shutdownSent;
  private boolean closeRequested;
  private boolean remoteEnded;
  private boolean endDelivered;
  private boolean closed;
  private Handler<Buffer> dataHandler = b -> {};
  private Handler<Void> endHandler = v -> {};
  private Handler<Integer> closeHandler = e -> {};

  OutgoingStream(AgentClient client, long connId, int kind) {
    this.client = client;
    this.connId = connId;
    this.kind = kind;
  }

  void connected(Net.Connected c) {
    this.info = c;
  }

  public long connId() {
    return connId;
  }

  /** Addresses as the pod sees them. */
  public Net.Connected info() {
    return info;
  }

  public OutgoingStream handler(Handler<Buffer> h) {
    client.onContext(
        () -> {
          dataHandler = h;
          deliver();
        });
    return this;
  }

  /** Called when the remote side shut down its write half (EOF). */
  public OutgoingStream endHandler(Handler<Void> h) {
    endHandler = h;
    return this;
  }

  /** Called once when the connection is gone, with 0 or the errno that ended it. */
  public OutgoingStream closeHandler(Handler<Integer> h) {
    closeHandler = h;
    return this;
  }

  /** Queues data; the future completes once all of it was handed to the agent connection. */
  public Future<Void> write(Buffer data) {
    Promise<Void> p = Promise.promise();
    client.onContext(
        () -> {
          if (closed || shutdownRequested || closeRequested) {
            p.tryFail(
                new IllegalStateException(
                    "connection " + connId + " is " + (closed ? "closed" : "shut down")));
            return;
          }
          if (kind == Net.KIND_UDP) {
            client.write(new Net.Data(connId, data), 0);
            p.tryComplete();
            return;
          }
          writes.add(new PendingWrite(data, p));
          drain();
        });
    return p.future();
  }

  /** Half-close: no more writes from us (after queued ones); reading continues. */
  public void shutdown() {
    client.onContext(
        () -> {
          shutdownRequested = true;
          drain();
        });
  }

  /**
   * Closes both directions once the writes queued so far went out: like close(2) on a socket, the
   * bytes already written still reach the peer, then its end of the stream.
   */
  public void close() {
    client.onContext(
        () -> {
          closeRequested = true;
          drain();
        });
  }

  /** Aborts the connection: queued writes are dropped and the remote peer gets a reset. */
  public void reset() {
    client.onContext(
        () -> {
          if (!closed) {
            client.write(new Net.Close(connId, Errno.ECONNRESET), 0);
            onClose(Errno.ECONNRESET);
          }
        });
  }

  /** Stops delivering data and stops crediting the agent; it stops sending at the window. */
  public void pause() {
    client.onContext(() -> paused = true);
  }

  public void resume() {
    client.onContext(
        () -> {
          paused = false;
          deliver();
        });
  }

  private void drain() {
    while (!writes.isEmpty() && sendWindow > 0) {
      PendingWrite w = writes.peek();
      int n = Math.min(Math.min(sendWindow, Net.MAX_CHUNK), w.data().length());
      client.write(new Net.Data(connId, w.data().slice(0, n)), 0);
      sendWindow -= n;
      if (n == w.data().length()) {
        writes.poll();
        w.done().tryComplete();
      } else {
        writes.poll();
        writes.addFirst(new PendingWrite(w.data().slice(n, w.data().length()), w.done()));
      }
    }
    if (writes.isEmpty() && shutdownRequested && !shutdownSent && !closed) {
      shutdownSent = true;
      client.write(new Net.Shutdown(connId), 0);
    }
    if (writes.isEmpty() && closeRequested && !closed) {
      client.write(new Net.Close(connId, 0), 0);
      onClose(0);
    }
  }

  void onCredit(int bytes) {
    sendWindow += bytes;
    drain();
  }

  void onData(Buffer data) {
    received.add(data);
    deliver();
  }

  private void deliver() {
    while (!paused && !received.isEmpty()) {
      Buffer b = received.poll();
      dataHandler.handle(b);
      if (kind != Net.KIND_UDP && !closed && b.length() > 0) {
        client.write(new Net.Credit(connId, b.length()), 0);
      }
    }
    if (!paused && received.isEmpty() && remoteEnded) {
      remoteEnded = false;
      endDelivered = true;
      endHandler.handle(null);
    }
  }

  void onShutdown() {
    if (endDelivered) {
      return;
    }
    remoteEnded = true;
    deliver();
  }

  void onClose(int errno) {
    if (closed) {
      return;
    }
    closed = true;
    client.forgetStream(connId);
    for (PendingWrite w : writes) {
      w.done()
          .tryFail(
              new IllegalStateException("connection " + connId + " closed (errno " + errno + ")"));
    }
    writes.clear();
    closeHandler.handle(errno);
  }
}
