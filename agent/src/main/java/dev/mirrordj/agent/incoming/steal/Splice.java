package dev.mirrordj.agent.incoming.steal;

import dev.mirrordj.protocol.net.StreamEnds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Relays raw bytes both ways between a client connection and an upstream, unchanged, with
 * backpressure on both sides and TCP half-close passed through (a FIN from one side becomes a FIN
 * to the other while the reverse direction keeps flowing). Both sides are closed once both
 * directions finished or either side closed. A reset on either side becomes a reset on the other
 * (SO_LINGER 0), never a FIN: a FIN would tell the peer the stream ended whole. Used for raw TCP,
 * whole-port steals, HTTP/2 without stream routing, and after an upgrade.
 */
public final class Splice {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Splice.class);
  private final NetSocket client;
  private final Upstream upstream;
  private final Runnable onClosed;
  private boolean clientDone;
  private boolean upstreamDone;
  private boolean closed;

  private Splice(NetSocket client, Upstream upstream, Runnable onClosed) {
    this.client = client;
    this.upstream = upstream;
    this.onClosed = onClosed;
  }

  /**
   * Starts relaying. {@code pending} holds client bytes already read (protocol detection, or bytes
   * after an upgrade request) and is sent first. Half-close must already be enabled on the client
   * socket from the start ({@link StreamEnds#track}), so a FIN that came earlier is seen.
   */
  public static void start(
      NetSocket client,
      StreamEnds clientFin,
      Upstream upstream,
      Buffer pending,
      Runnable onClosed) {
    new Splice(client, upstream, onClosed).run(clientFin, pending);
  }

  private void run(StreamEnds clientFin, Buffer pending) {
    if (pending != null && pending.length() > 0) {
      upstream.write(pending);
    }
    clientFin.handler(
        data -> {
          log.trace("client -> upstream {} bytes", data.length());
          upstream.write(data);
          if (upstream.writeQueueFull()) {
            log.trace("upstream full, pausing client");
            client.pause();
            upstream.drainHandler(
                v -> {
                  log.trace("upstream drained, resuming client");
                  client.resume();
                });
          }
        });
    upstream.handler(
        data -> {
          log.trace("upstream -> client {} bytes", data.length());
          client.write(data);
          if (client.writeQueueFull()) {
            log.trace("client full, pausing upstream");
            upstream.pause();
            client.drainHandler(
                v -> {
                  log.trace("client drained, resuming upstream");
                  upstream.resume();
                });
          }
        });
    clientFin.finHandler(
        () -> {
          log.debug("client finished sending");
          clientDone = true;
          upstream.shutdownOutput();
          closeIfBothDone();
        });
    upstream.inputShutdownHandler(
        v -> {
          log.debug("upstream finished sending");
          upstreamDone = true;
          clientFin.shutdownOutput();
          closeIfBothDone();
        });
    clientFin.closeHandler(
        reset -> {
          log.debug("client closed{}", reset ? " by a reset" : "");
          clientDone = upstreamDone = true;
          if (reset) {
            upstream.reset();
          } else {
            upstream.end();
          }
          finish();
        });
    upstream.closeHandler(
        v -> {
          boolean reset = upstream.closedByReset();
          log.debug("upstream closed{}", reset ? " by a reset" : "");
          clientDone = upstreamDone = true;
          if (reset) {
            StreamEnds.reset(client);
          } else {
            client.end();
          }
          finish();
        });
    upstream.resume();
    if (!clientDone) {
      client.resume();
    }
  }

  private void closeIfBothDone() {
    if (clientDone && upstreamDone) {
      client.end();
      upstream.end();
      finish();
    }
  }

  private void finish() {
    if (!closed) {
      closed = true;
      onClosed.run();
    }
  }
}
