package dev.mirrordj.agent.incoming.steal;

import dev.mirrordj.agent.incoming.h2.H2Connection;
import dev.mirrordj.agent.incoming.net.OriginalDestination;
import dev.mirrordj.protocol.net.StreamEnds;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles each connection the redirect delivers: finds where it was going (SO_ORIGINAL_DST), then
 * hands it whole to an unfiltered steal, or detects its protocol and routes HTTP/1 requests by
 * filter, passing everything else through to the original destination unchanged. A connection whose
 * client sends nothing within the detection timeout (server-speaks-first protocols) is passed
 * through as raw TCP.
 */
public final class StolenConnectionHandler implements Handler<NetSocket> {

  private static final Logger log = LoggerFactory.getLogger(StolenConnectionHandler.class);
  private static final AtomicLong IDS = new AtomicLong();

  private final Vertx vertx;
  private final NetClient passThroughClient;
  private final PortSubscriptions subscriptions;
  private final Duration detectionTimeout;
  private final InFlightRequests inFlight;

  /** Create on the namespaced Vert.x, so pass-through sockets are made in the target namespace. */
  public StolenConnectionHandler(
      Vertx vertx,
      NetClient passThroughClient,
      PortSubscriptions subscriptions,
      Duration detectionTimeout,
      InFlightRequests inFlight) {
    this.vertx = vertx;
    this.passThroughClient = passThroughClient;
    this.subscriptions = subscriptions;
    this.detectionTimeout = detectionTimeout;
    this.inFlight = inFlight;
  }

  @Override
  public void handle(NetSocket socket) {
    socket.pause();
    InetSocketAddress original;
    try {
      original = OriginalDestination.of(socket);
    } catch (RuntimeException e) {
      log.warn(
          "closing a connection to the redirect listener that was not redirected: {}",
          e.getMessage());
      socket.close();
      return;
    }
    // also takes the socket's exception handler (a client's reset is routine, logged at debug),
    // which is how a reset is told apart from an orderly close: do not replace it
    StreamEnds fin = StreamEnds.track(socket);
    SocketAddress remote = socket.remoteAddress();
    ConnectionInfo info =
        new ConnectionInfo(
            IDS.incrementAndGet(),
            new InetSocketAddress(remote.hostAddress(), remote.port()),
            original);
    Optional<Subscription> whole = subscriptions.wholePort(original.getPort());
    if (whole.isPresent()) {
      log.debug("{}: whole-port steal by {}", info, whole.get().target().describe());
      whole
          .get()
          .target()
          .open(info)
          .onSuccess(up -> Splice.start(socket, fin, up, null, () -> {}))
          .onFailure(
              e -> {
                log.warn(
                    "{}: the stealing client cannot take it ({}); closing", info, e.getMessage());
                socket.close();
              });
      return;
    }
    if (subscriptions.on(original.getPort()).isEmpty()) {
      passThrough(socket, fin, info, Buffer.buffer());
      return;
    }
    detect(socket, fin, info);
  }

  private void detect(NetSocket socket, StreamEnds fin, ConnectionInfo info) {
    Buffer first = Buffer.buffer();
    boolean[] decided = {false};
    long timer =
        vertx.setTimer(
            detectionTimeout.toMillis(),
            t -> {
              if (!decided[0]) {
                decided[0] = true;
                log.debug(
                    "{}: no bytes within {} ms, passing through as raw TCP",
                    info,
                    detectionTimeout.toMillis());
                passThrough(socket, fin, info, first);
              }
            });
    fin.handler(
        data -> {
          if (decided[0]) {
            return;
          }
          first.appendBuffer(data);
          ProtocolDetector.Protocol p = ProtocolDetector.detect(first.getBytes(), first.length());
          if (p == ProtocolDetector.Protocol.UNDECIDED) {
            return;
          }
          decided[0] = true;
          vertx.cancelTimer(timer);
          socket.pause();
          log.debug("{}: detected {} from {} bytes", info, p, first.length());
          switch (p) {
            case HTTP1 ->
                new Http1Connection(
                        socket, fin, info, subscriptions, () -> connectOriginal(info), inFlight)
                    .start(first);
            case H2C ->
                new H2Connection(socket, fin, info, subscriptions, () -> connectOriginal(info))
                    .start(first);
            default -> passThrough(socket, fin, info, first);
          }
        });
    fin.finHandler(
        () -> {
          if (!decided[0]) {
            decided[0] = true;
            vertx.cancelTimer(timer);
            passThrough(
                socket, fin, info, first); // the client finished sending: nothing more to detect
          }
        });
    fin.closeHandler(
        reset -> {
          if (!decided[0]) {
            decided[0] = true;
            vertx.cancelTimer(timer);
          }
        });
    socket.resume();
  }

  private void passThrough(
      NetSocket socket, StreamEnds fin, ConnectionInfo info, Buffer alreadyRead) {
    // keep reading while connecting (bounded by the connect timeout); bytes are sent first
    fin.handler(alreadyRead::appendBuffer);
    socket.resume();
    connectOriginal(info)
        .onSuccess(up -> Splice.start(socket, fin, up, alreadyRead, () -> {}))
        .onFailure(
            e -> {
              log.warn("{}: original destination unreachable ({}); closing", info, e.getMessage());
              socket.close();
            });
  }

  private Future<Upstream> connectOriginal(ConnectionInfo info) {
    InetSocketAddress dst = info.originalDestination();
    return passThroughClient
        .connect(dst.getPort(), dst.getAddress().getHostAddress())
        .map(
            s -> {
              s.pause();
              s.exceptionHandler(
                  e -> log.debug("{}: original destination: {}", info, e.toString()));
              return (Upstream) new NetSocketUpstream(s);
            });
  }
}
