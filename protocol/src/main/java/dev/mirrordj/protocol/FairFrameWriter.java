package dev.mirrordj.protocol;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes frames of many streams onto one connection without head-of-line blocking: replies and
 * control frames go out at once, while each stream's frames wait in their own queue and are taken
 * round-robin, one frame at a time, only while the socket's write queue has room. So a bulk
 * transfer keeps at most about one socket buffer ahead of a ping or another stream's bytes.
 * Thread-safe; frames of one stream keep their order.
 */
public final class FairFrameWriter {
  private final WriteStream<Buffer> out;
  private final Context context;
  private final Map<Object, ArrayDeque<Buffer>> queues = new HashMap<>();
  private final ArrayDeque<Object> turn = new ArrayDeque<>();
  private final java.util.List<Runnable> waiters = new java.util.ArrayList<>();
  private boolean drainArmed;
  private boolean closed;

  /**
   * @param context the context that owns {@code out} (drain handlers are set there)
   */
  public FairFrameWriter(WriteStream<Buffer> out, Context context) {
    this.out = out;
    this.context = context;
  }

  /** Replies and control frames: straight to the socket. */
  public synchronized void urgent(Buffer frame) {
    if (!closed) {
      out.write(frame);
    }
  }

  /**
   * A frame of connection {@code streamId}: queued fairly behind other streams, in order within its
   * own.
   */
  public void stream(long streamId, Buffer frame) {
    stream(Long.valueOf(streamId), frame);
  }

  /**
   * A frame of the stream named by {@code key} (a connection id as a Long, or any other value with
   * equals/hashCode, e.g. a whole-file fetch): queued fairly behind other streams, in order within
   * its own.
   */
  public synchronized void stream(Object streamId, Buffer frame) {
    if (closed) {
      return;
    }
    ArrayDeque<Buffer> q = queues.get(streamId);
    if (q == null) {
      q = new ArrayDeque<>();
      queues.put(streamId, q);
      turn.add(streamId);
    }
    q.add(frame);
    pump();
  }

  /**
   * Blocks a worker thread (never an event loop) until the socket's write queue has room, so a bulk
   * producer cannot fill memory when the peer reads slowly. Returns at once after close.
   */
  public void awaitWritable() throws InterruptedException {
    while (true) {
      java.util.concurrent.CompletableFuture<Void> room =
          new java.util.concurrent.CompletableFuture<>();
      synchronized (this) {
        if (closed || !out.writeQueueFull()) {
          return;
        }
        waiters.add(() -> room.complete(null));
        arm();
      }
      try {
        room.get(1, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException
          | java.util.concurrent.TimeoutException recheck) {
        // loop and look again
      }
    }
  }

  /** How many frames of stream {@code key} wait to be written. */
  public synchronized int queued(Object key) {
    ArrayDeque<Buffer> q = queues.get(key);
    return q == null ? 0 : q.size();
  }

  /**
   * Blocks a worker thread (never an event loop) while stream {@code key} has {@code maxQueued} or
   * more frames waiting, so a bulk producer stays just ahead of its turn without filling memory.
   * Returns at once after close.
   */
  public synchronized void awaitRoom(Object key, int maxQueued) throws InterruptedException {
    while (!closed && queued(key) >= maxQueued) {
      wait(1000); // woken by pump/close; the timeout only guards against a missed wake-up
    }
  }

  /** Drops everything queued; later frames are ignored. */
  public synchronized void close() {
    notifyAll();
    closed = true;
    queues.clear();
    turn.clear();
    waiters.forEach(Runnable::run);
    waiters.clear();
  }

  private void pump() {
    boolean wrote = false;
    while (!turn.isEmpty() && !out.writeQueueFull()) {
      wrote = true;
      Object id = turn.poll();
      ArrayDeque<Buffer> q = queues.get(id);
      out.write(q.poll());
      if (q.isEmpty()) {
        queues.remove(id);
      } else {
        turn.add(id);
      }
    }
    if (wrote) {
      notifyAll(); // producers waiting in awaitRoom
    }
    if (!turn.isEmpty()) {
      arm();
    }
  }

  private void arm() {
    if (drainArmed) {
      return;
    }
    drainArmed = true;
    context.runOnContext(
        v -> {
          out.drainHandler(x -> drained());
          if (!out.writeQueueFull()) {
            drained();
          }
        });
  }

  private synchronized void drained() {
    drainArmed = false;
    if (!closed) {
      pump();
    }
    if (!out.writeQueueFull() || closed) {
      waiters.forEach(Runnable::run);
      waiters.clear();
    } else if (!waiters.isEmpty()) {
      arm();
    }
  }
}
