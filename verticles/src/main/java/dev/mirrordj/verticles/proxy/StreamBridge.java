package dev.mirrordj.verticles.proxy;

import dev.mirrordj.protocol.net.StreamEnds;
import dev.mirrordj.verticles.proxy.remote.RemoteConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins an accepted local connection to a stream opened in the pod, ends included. Used by the
 * layer's outgoing interceptors and by {@code port-forward -L}: both accept a local socket while
 * the pod side may still be connecting.
 */
public final class StreamBridge {
  private static final Logger log = LoggerFactory.getLogger(StreamBridge.class);

  private StreamBridge() {}

  /**
   * Holds {@code sock}'s bytes (paused, so they wait in the kernel) until {@code remote} is up,
   * then relays both ways. Call from {@code sock}'s connect handler (on its context). If the pod
   * side fails, the local connection is reset (what a refused connect looks like once the local
   * connect already succeeded). {@code onClosed} runs once the local connection is gone, after the
   * pod side was told.
   */
  public static void bridge(
      NetSocket sock, Future<RemoteConnection> remote, String context, Runnable onClosed) {
    // before anything is read: a FIN sent right after connecting must stay a FIN behind its
    // bytes, not close the socket while the pod side is still connecting
    StreamEnds local = StreamEnds.track(sock);
    Context sockContext = Vertx.currentContext(); // the connect handler runs on the socket's
    sock.pause();
    local.closeHandler(
        wasReset -> {
          if (wasReset) {
            remote.onSuccess(RemoteConnection::reset);
          }
          onClosed.run();
        });
    remote.onComplete(
        r -> {
          if (r.succeeded()) {
            relay(local, sock, sockContext, r.result(), context);
            sock.resume();
          } else {
            log.debug(
                "{}: pod side failed ({}), resetting the local connection",
                context,
                r.cause().toString());
            StreamEnds.reset(sock);
          }
        });
  }

  private static void onContext(Context context, Runnable r) {
    if (context == null || Vertx.currentContext() == context) {
      r.run();
    } else {
      context.runOnContext(v -> r.run());
    }
  }

  /**
   * Relays both ways: the local FIN goes to the pod behind its bytes while the pod's answer keeps
   * flowing back, and the pod's FIN comes back behind the pod's bytes; a reset on either side
   * becomes a reset on the other.
   */
  private static void relay(
      StreamEnds local, NetSocket sock, Context here, RemoteConnection remote, String context) {
    // Backpressure both ways: a program writes far faster than the tunnel moves bytes, and a relay
    // that reads without pausing only moves the backlog into this process's heap (hundreds of MiB
    // in a few seconds), where the garbage collector then slows everything else down. So reading
    // stops while the other side's queue is full and resumes on its drain; the bytes wait in the
    // kernel (local side) or behind the agent's credit window (pod side).
    local.handler(
        data -> {
          remote.write(data);
          if (remote.writeQueueFull()) {
            sock.pause();
            remote.drainHandler(v -> onContext(here, sock::resume));
          }
        });
    local.finHandler(
        () -> {
          log.debug("{}: local side finished sending", context);
          remote.write(Buffer.buffer()); // a zero-length write half-closes
        });
    remote.handler(
        data -> {
          sock.write(data);
          if (sock.writeQueueFull()) {
            remote.pause();
            onContext(
                here,
                () -> {
                  sock.drainHandler(v -> remote.resume());
                  if (!sock.writeQueueFull()) {
                    remote.resume();
                  }
                });
          }
        });
    remote.endHandler(
        v -> {
          log.debug("{}: pod side finished sending", context);
          local.shutdownOutput();
        });
    remote.closeHandler(
        errno -> {
          if (errno != 0) {
            log.debug("{}: pod side ended with errno {}, resetting the local side", context, errno);
            local.reset();
          } else {
            sock.close(); // after what was written: Vert.x flushes before it closes
          }
        });
  }
}
