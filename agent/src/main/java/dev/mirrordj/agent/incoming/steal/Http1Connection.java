package dev.mirrordj.agent.incoming.steal;

import dev.mirrordj.agent.incoming.filter.RequestBody;
import dev.mirrordj.agent.incoming.filter.RequestView;
import dev.mirrordj.agent.incoming.http.BodyFraming;
import dev.mirrordj.agent.incoming.http.ChunkedDecoder;
import dev.mirrordj.agent.incoming.http.HttpParseException;
import dev.mirrordj.agent.incoming.http.RequestHead;
import dev.mirrordj.agent.incoming.http.ResponseTracker;
import dev.mirrordj.protocol.net.StreamEnds;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the requests of one stolen HTTP/1.x connection, one exchange at a time: each request goes
 * to the first subscription whose filter matches, else to the original destination. Bytes are
 * forwarded exactly as received (head and body), and responses are relayed exactly as sent; only
 * the message boundaries are parsed. Upstream connections are kept per target for keep-alive.
 * Pipelined requests wait (buffered, bounded) until the previous response is complete so responses
 * cannot be reordered. A {@code 101} answer to an upgrade request turns the connection into a raw
 * relay with that target (WebSocket). Runs on one event loop; not thread-safe.
 */
final class Http1Connection {

  private static final Logger log = LoggerFactory.getLogger(Http1Connection.class);
  private static final String PASS_THROUGH = "\0pass-through";
  private static final int MAX_BUFFERED = 1 << 20;

  private enum State {
    HEAD,
    BUFFER_BODY,
    CONNECTING,
    BODY,
    WAIT_RESPONSE,
    TUNNEL,
    CLOSED
  }

  private final NetSocket client;
  private final StreamEnds clientFin;
  private final ConnectionInfo info;
  private final PortSubscriptions subscriptions;
  private final Supplier<Future<Upstream>> passThrough;
  private final InFlightRequests inFlight;
  private boolean exchangeCounted;
  private final Map<String, Upstream> upstreams = new HashMap<>();

  /**
   * The subscriptions this connection's requests went to. A client that released its port (its
   * program closed the listener) still holds the connections it accepted: their matching requests
   * keep going to it while that client's connection is open, as the program's accepted socket would
   * keep working without us in the way.
   */
  private final Map<String, Subscription> routedTo = new HashMap<>();

  private Buffer inbound = Buffer.buffer();
  private State state = State.HEAD;
  private Upstream current;
  private BodyFraming requestBody;
  private ResponseTracker response;
  private boolean upgradeRequested;

  /** Body filters: the request whose body is being held back, and what has arrived of it. */
  private RequestHead pendingHead;

  private Buffer heldBody;
  private long heldLimit;
  private long bodyTimer = -1;
  private long requestSeq;

  Http1Connection(
      NetSocket client,
      StreamEnds clientFin,
      ConnectionInfo info,
      PortSubscriptions subscriptions,
      Supplier<Future<Upstream>> passThrough,
      InFlightRequests inFlight) {
    this.client = client;
    this.clientFin = clientFin;
    this.info = info;
    this.subscriptions = subscriptions;
    this.passThrough = passThrough;
    this.inFlight = inFlight;
  }

  /** Counts this connection's current exchange as in flight, or stops counting it. */
  private void counted(boolean inExchange) {
    if (inExchange != exchangeCounted) {
      exchangeCounted = inExchange;
      if (inExchange) {
        inFlight.started();
      } else {
        inFlight.finished();
      }
    }
  }

  void start(Buffer alreadyRead) {
    inbound.appendBuffer(alreadyRead);
    clientFin.handler(
        data -> {
          inbound.appendBuffer(data);
          if (inbound.length() > MAX_BUFFERED) {
            client.pause(); // resumed when the buffered requests have been forwarded
          }
          process();
        });
    clientFin.closeHandler(
        reset -> {
          if (reset) {
            log.debug("{}: the client reset the connection, resetting its upstreams", info);
            resetAll();
          } else {
            closeAll();
          }
        });
    clientFin.finHandler(
        this::process); // a FIN between requests ends the connection (see routeNextRequest)
    client.resume();
    process();
  }

  private void process() {
    try {
      while (true) {
        switch (state) {
          case HEAD -> {
            if (!routeNextRequest()) {
              return;
            }
          }
          case BUFFER_BODY -> {
            if (!bufferBody()) {
              return;
            }
          }
          case BODY -> {
            if (!forwardBody()) {
              return;
            }
          }
          default -> {
            return;
          }
        }
      }
    } catch (HttpParseException e) {
      log.info("{}: closing, malformed request: {}", info, e.getMessage());
      fail(400, "Bad Request", e.getMessage());
    }
  }

  /** Parses the next request head and starts sending it; false when more bytes are needed. */
  private boolean routeNextRequest() {
    byte[] bytes = inbound.getBytes();
    int end = RequestHead.headEnd(bytes, bytes.length);
    if (end < 0) {
      if (clientFin.finSeen()) {
        // the client will send no more requests; a partial head is passed through as-is
        if (bytes.length > 0) {
          log.debug(
              "{}: {} bytes of an incomplete request before FIN, closing", info, bytes.length);
        }
        state = State.CLOSED;
        client.end();
        closeAll();
        return false;
      }
      if (bytes.length > RequestHead.MAX_HEAD) {
        fail(
            431,
            "Request Header Fields Too Large",
            "request head longer than " + RequestHead.MAX_HEAD + " bytes");
      }
      client.resume();
      return false;
    }
    RequestHead head = RequestHead.parse(bytes, end);
    inbound = inbound.getBuffer(end, bytes.length);
    counted(true);
    requestBody = head.bodyFraming();
    requestSeq++;
    List<Subscription> subs = subscriptions.on(info.originalDestination().getPort());
    long limit = bodyLimit(subs);
    if (limit >= 0 && !requestBody.done()) {
      // a body filter may decide: hold the body back (bounded in size and time) before routing
      pendingHead = head;
      heldBody = Buffer.buffer();
      heldLimit = limit;
      state = State.BUFFER_BODY;
      startBodyTimer(subs, requestSeq);
      return true;
    }
    route(head, subs, RequestBody.of(new byte[0]), null);
    return false;
  }

  /** The largest body any filter of these subscriptions wants to see; -1 when none looks. */
  private static long bodyLimit(List<Subscription> subs) {
    long limit = -1;
    for (Subscription s : subs) {
      if (s.filter() != null && s.filter().needsBody()) {
        limit = Math.max(limit, s.filter().maxBodyBytes());
      }
    }
    return limit;
  }

  private void startBodyTimer(List<Subscription> subs, long seq) {
    Duration longest = Duration.ZERO;
    for (Subscription s : subs) {
      if (s.filter() != null && s.filter().needsBody()) {
        Duration t = s.filter().bodyTimeout();
        longest = longest.compareTo(t) < 0 ? t : longest;
      }
    }
    Duration wait = longest;
    Context context = Vertx.currentContext();
    if (context == null) {
      return;
    }
    bodyTimer =
        context
            .owner()
            .setTimer(
                Math.max(1, wait.toMillis()),
                id -> {
                  if (state == State.BUFFER_BODY && requestSeq == seq) {
                    log.debug(
                        "{}: body not complete within {} ms, body filters do not match",
                        info,
                        wait.toMillis());
                    releaseHeld(RequestBody.UNAVAILABLE);
                    process();
                  }
                });
  }

  /** Moves body bytes into the held buffer; true when the request has been routed. */
  private boolean bufferBody() {
    if (inbound.length() > 0) {
      byte[] bytes = inbound.getBytes();
      int n = requestBody.consume(bytes, 0, bytes.length);
      heldBody.appendBuffer(inbound.getBuffer(0, n));
      inbound = inbound.getBuffer(n, bytes.length);
    }
    if (requestBody.done()) {
      byte[] raw = heldBody.getBytes();
      String te = pendingHead.header("transfer-encoding");
      boolean chunked = te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
      byte[] payload;
      try {
        payload = chunked ? ChunkedDecoder.decode(raw) : raw;
      } catch (HttpParseException e) {
        payload = null;
      }
      releaseHeld(
          payload == null || payload.length > heldLimit
              ? RequestBody.UNAVAILABLE
              : RequestBody.of(payload));
      return false;
    }
    if (heldBody.length() > heldLimit) {
      log.debug("{}: body larger than {} bytes, body filters do not match", info, heldLimit);
      releaseHeld(RequestBody.UNAVAILABLE);
      return false;
    }
    client.resume();
    return false;
  }

  /** Routes the held request with what is known of its body, then forwards the held bytes. */
  private void releaseHeld(RequestBody body) {
    if (bodyTimer >= 0) {
      Context context = Vertx.currentContext();
      if (context != null) {
        context.owner().cancelTimer(bodyTimer);
      }
      bodyTimer = -1;
    }
    RequestHead head = pendingHead;
    Buffer held = heldBody;
    pendingHead = null;
    heldBody = null;
    route(head, subscriptions.on(info.originalDestination().getPort()), body, held);
  }

  /** Picks the first subscription whose filter matches and starts sending the request there. */
  private void route(
      RequestHead head, List<Subscription> subs, RequestBody body, Buffer heldBytes) {
    RequestView view = new RequestView(head.method(), head.target(), head.headers());
    Subscription match = null;
    List<Subscription> candidates = new java.util.ArrayList<>(subs);
    for (Subscription earlier : routedTo.values()) {
      boolean released = subs.stream().noneMatch(s -> s.clientId().equals(earlier.clientId()));
      if (released && upstreams.containsKey(earlier.clientId())) {
        candidates.add(earlier);
      }
    }
    for (Subscription s : candidates) {
      if (s.filter() != null && s.filter().matches(view, bodyFor(s, body))) {
        match = s;
        break;
      }
    }
    String key = match == null ? PASS_THROUGH : match.clientId();
    if (match != null) {
      routedTo.put(key, match);
    }
    log.debug(
        "{}: {} {} -> {}",
        info,
        head.method(),
        head.target(),
        match == null ? "original destination" : match.target().describe());
    state = State.CONNECTING;
    response = new ResponseTracker("HEAD".equalsIgnoreCase(head.method()));
    upgradeRequested = head.isUpgrade();
    upstream(key, match)
        .onComplete(
            ar -> {
              if (state == State.CLOSED) {
                return;
              }
              if (ar.failed()) {
                log.warn(
                    "{}: cannot reach {}: {}",
                    info,
                    key.equals(PASS_THROUGH) ? "the original destination" : key,
                    ar.cause().getMessage());
                fail(502, "Bad Gateway", "mirrordj could not reach the request's destination");
                return;
              }
              current = ar.result();
              current.write(Buffer.buffer(head.raw()));
              if (heldBytes != null && heldBytes.length() > 0) {
                current.write(heldBytes);
              }
              state = State.BODY;
              process();
            });
  }

  /** A body counts for a filter only within that filter's own size limit. */
  private static RequestBody bodyFor(Subscription s, RequestBody body) {
    return body.available() && body.length() <= s.filter().maxBodyBytes()
        ? body
        : RequestBody.UNAVAILABLE;
  }

  /** Forwards buffered body bytes; false when waiting for more bytes or for the response. */
  private boolean forwardBody() {
    if (!requestBody.done() && inbound.length() > 0) {
      byte[] bytes = inbound.getBytes();
      int n = requestBody.consume(bytes, 0, bytes.length);
      current.write(inbound.getBuffer(0, n));
      inbound = inbound.getBuffer(n, bytes.length);
      if (current.writeQueueFull()) {
        // the target does not take the body as fast as the client sends it (a local handler
        // that stopped reading): stop reading the client until it does, or the body would pile
        // up here and in every hop behind us
        client.pause();
        current.drainHandler(
            v -> {
              if (state == State.BODY) {
                client.resume();
                process();
              }
            });
        return false;
      }
    }
    if (!requestBody.done()) {
      client.resume();
      return false;
    }
    state = State.WAIT_RESPONSE;
    return nextIfExchangeDone();
  }

  /** When both the request and its response are complete, goes on with the next request. */
  private boolean nextIfExchangeDone() {
    if ((state == State.WAIT_RESPONSE || state == State.BODY)
        && requestBody.done()
        && response.complete()) {
      state = State.HEAD;
      current = null;
      counted(false);
      return true;
    }
    return false;
  }

  private Future<Upstream> upstream(String key, Subscription match) {
    Upstream existing = upstreams.get(key);
    if (existing != null) {
      return Future.succeededFuture(existing);
    }
    Future<Upstream> opening = match == null ? passThrough.get() : match.target().open(info);
    return opening.onSuccess(
        up -> {
          upstreams.put(key, up);
          up.handler(data -> onUpstreamData(up, data));
          up.closeHandler(v -> onUpstreamClosed(key, up));
          up.resume();
        });
  }

  private void onUpstreamData(Upstream up, Buffer data) {
    if (up != current || response == null || state == State.CLOSED) {
      log.debug("{}: dropping {} unsolicited bytes from an idle upstream", info, data.length());
      return;
    }
    byte[] bytes = data.getBytes();
    int n;
    try {
      n = response.consume(bytes, 0, bytes.length);
    } catch (HttpParseException e) {
      log.info("{}: closing, malformed response: {}", info, e.getMessage());
      client.write(data);
      closeAll();
      return;
    }
    client.write(n == bytes.length ? data : data.getBuffer(0, n));
    if (client.writeQueueFull()) {
      up.pause();
      client.drainHandler(v -> up.resume());
    }
    if (!response.complete()) {
      return;
    }
    if (response.switched() && upgradeRequested) {
      if (n < bytes.length) {
        client.write(data.getBuffer(n, bytes.length));
      }
      becomeTunnel(up);
      return;
    }
    if (n < bytes.length) {
      log.debug("{}: dropping {} bytes sent after a complete response", info, bytes.length - n);
    }
    if (nextIfExchangeDone()) {
      process();
    }
  }

  private void becomeTunnel(Upstream up) {
    state = State.TUNNEL;
    counted(false); // raw bytes from here on: no exchanges to wait for
    Buffer pending = inbound;
    inbound = Buffer.buffer();
    upstreams
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue() != up) {
                e.getValue().close();
                return true;
              }
              return false;
            });
    log.debug("{}: protocol switched, relaying raw bytes", info);
    Splice.start(client, clientFin, up, pending, () -> state = State.CLOSED);
  }

  private void onUpstreamClosed(String key, Upstream up) {
    upstreams.remove(key);
    if (up != current || state == State.CLOSED || state == State.TUNNEL) {
      return; // an idle keep-alive connection ended; the next request reconnects
    }
    if (!key.equals(PASS_THROUGH) && !response.started()) {
      // the local program (or the whole local side) went away before answering: the client gets
      // an answer that says so at once, not an empty reply or a wait for its own timeout
      log.warn("{}: stealing client {} closed before answering; answering 502", info, key);
      fail(502, "Bad Gateway", "the local program closed the connection before answering");
      return;
    }
    // the response was cut short or was delimited by the close: either way the client is done;
    // an abrupt end stays abrupt, so the client cannot take a cut response for a whole one
    state = State.CLOSED;
    if (up.closedByReset()) {
      StreamEnds.reset(client);
    } else {
      client.end();
    }
    closeAll();
  }

  private void fail(int status, String reason, String detail) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    byte[] body = (detail + "\n").getBytes(StandardCharsets.UTF_8);
    client.write(
        Buffer.buffer(
                "HTTP/1.1 "
                    + status
                    + " "
                    + reason
                    + "\r\nContent-Type: text/plain\r\nContent-Length: "
                    + body.length
                    + "\r\nConnection: close\r\n\r\n")
            .appendBytes(body));
    client.end();
    closeAll();
  }

  private void resetAll() {
    state = State.CLOSED;
    counted(false);
    for (Upstream up : upstreams.values()) {
      up.reset();
    }
    upstreams.clear();
  }

  private void closeAll() {
    if (state != State.TUNNEL) {
      state = State.CLOSED;
    }
    counted(false);
    for (Upstream up : upstreams.values()) {
      up.close();
    }
    upstreams.clear();
  }
}
