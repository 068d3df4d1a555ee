package dev.mirrordj.protocol.client;

import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Net;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client end of one outgoing connection made by the agent in the target's network. Writes respect
 * the agent's credit window (they queue, never block); received data is credited back once the data
 * handler has taken it, and not while {@link #pause() paused}, so a slow consumer only slows
 * itself. A producer keeps its own memory bounded with {@link #writeQueueFull()} and {@link
 * #drainHandler}, as with any Vert.x write stream.
 */
public final class OutgoingStream {
  /**
   * Bytes waiting for the agent's credit above which {@link #writeQueueFull()} says stop: a
   * window's worth, so a producer that pauses still has the next window ready when credit comes
   * back.
   */
  static final int WRITE_QUEUE_HIGH = Net.INITIAL_WINDOW;

  /** A paused producer is resumed once the waiting bytes fell to this. */
  static final int WRITE_QUEUE_LOW = WRITE_QUEUE_HIGH / 2;

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

  /** Written (from any thread) and not yet handed to the agent connection. */
  private final AtomicLong queuedBytes = new AtomicLong();

  private Handler<Void> drainHandler;

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
    if (kind != Net.KIND_UDP) {
      queuedBytes.addAndGet(data.length());
    }
    client.onContext(
        () -> {
          if (closed || shutdownRequested || closeRequested) {
            if (kind != Net.KIND_UDP) {
              queuedBytes.addAndGet(-data.length());
            }
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

  /**
   * True while more than a window's worth of written bytes waits for the agent's credit: the
   * producer should pause until {@link #drainHandler its drain handler} runs. May be called from
   * any thread.
   */
  public boolean writeQueueFull() {
    return queuedBytes.get() >= WRITE_QUEUE_HIGH;
  }

  /**
   * Runs once (on this stream's context), when the bytes waiting for credit have fallen to half of
   * what {@link #writeQueueFull()} calls full, or at once if they already have; also when the
   * stream is closed, so a paused producer always hears back.
   */
  public OutgoingStream drainHandler(Handler<Void> h) {
    client.onContext(
        () -> {
          drainHandler = h;
          maybeDrained();
        });
    return this;
  }

  private void maybeDrained() {
    if (drainHandler != null && (closed || queuedBytes.get() <= WRITE_QUEUE_LOW)) {
      Handler<Void> h = drainHandler;
      drainHandler = null;
      h.handle(null);
    }
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
      int n = (int) Math.min(Math.min(sendWindow, Net.MAX_CHUNK), queuedInWrites());
      client.write(new Net.Data(connId, take(n)), 0);
      sendWindow -= n;
      queuedBytes.addAndGet(-n);
    }
    if (writes.isEmpty() && shutdownRequested && !shutdownSent && !closed) {
      shutdownSent = true;
      client.write(new Net.Shutdown(connId), 0);
    }
    if (writes.isEmpty() && closeRequested && !closed) {
      client.write(new Net.Close(connId, 0), 0);
      onClose(0);
    }
    maybeDrained();
  }

  private long queuedInWrites() {
    long n = 0;
    for (PendingWrite w : writes) {
      n += w.data().length();
      if (n >= Net.MAX_CHUNK) {
        break;
      }
    }
    return n;
  }

  /**
   * The next {@code n} queued bytes as one buffer: a program's writes arrive in whatever pieces its
   * socket was read in (often a few KiB), and one frame per piece would multiply the per-frame cost
   * on both ends. Completes the writes taken whole.
   */
  private Buffer take(int n) {
    PendingWrite first = writes.peek();
    if (first.data().length() == n) {
      writes.poll();
      first.done().tryComplete();
      return first.data();
    }
    if (first.data().length() > n) {
      writes.poll();
      writes.addFirst(new PendingWrite(first.data().slice(n, first.data().length()), first.done()));
      return first.data().slice(0, n);
    }
    Buffer out = Buffer.buffer(n);
    while (out.length() < n) {
      PendingWrite w = writes.poll();
      int want = n - out.length();
      if (w.data().length() <= want) {
        out.appendBuffer(w.data());
        w.done().tryComplete();
      } else {
        out.appendBuffer(w.data(), 0, want);
        writes.addFirst(new PendingWrite(w.data().slice(want, w.data().length()), w.done()));
      }
    }
    return out;
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
    queuedBytes.set(0);
    maybeDrained();
    closeHandler.handle(errno);
  }
}
