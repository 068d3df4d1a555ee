package dev.mirrordj.agent.incoming.h2;

import dev.mirrordj.agent.incoming.filter.RequestBody;
import dev.mirrordj.agent.incoming.filter.RequestView;
import dev.mirrordj.agent.incoming.steal.ConnectionInfo;
import dev.mirrordj.agent.incoming.steal.PortSubscriptions;
import dev.mirrordj.agent.incoming.steal.Subscription;
import dev.mirrordj.agent.incoming.steal.Upstream;
import dev.mirrordj.protocol.net.StreamEnds;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a stolen HTTP/2 (h2c, prior knowledge) connection stream by stream: each request stream
 * goes to the first subscription whose filter matches its headers and path, the others to the
 * original destination; matched and unmatched streams share the client's connection. We terminate
 * HTTP/2 on both sides (one upstream connection per target, reused by its streams) and relay
 * HEADERS, DATA, trailers and RST_STREAM between mapped streams; flow-control credit is returned to
 * a sender once its data has been handed to the other side.
 */
public final class H2Connection implements H2Endpoint.FrameSink {

  private static final Logger log = LoggerFactory.getLogger(H2Connection.class);
  private static final String PASS_THROUGH = "\0pass-through";

  private final NetSocket client;
  private final StreamEnds clientReads;
  private final ConnectionInfo info;
  private final PortSubscriptions subscriptions;
  private final Supplier<Future<Upstream>> passThrough;
  private final Map<String, Target> targets = new HashMap<>();
  private final Map<Http2FrameStream, Route> routes = new IdentityHashMap<>();
  private H2Endpoint clientSide;
  private boolean closed;

  /** Where one client stream went (target null while its body is held for a body filter). */
  private static final class Route {
    Target target;
    final Http2FrameStream clientStream;
    Http2FrameStream upstreamStream;
    Held held;

    Route(Target target, Http2FrameStream clientStream) {
      this.target = target;
      this.clientStream = clientStream;
    }
  }

  /** A frame received while the stream's body is held back. */
  private record HeldFrame(Http2Headers headers, ByteBuf data, boolean end) {}

  /** The request of a stream whose routing waits for its body (bounded in size and time). */
  private static final class Held {
    final RequestView view;
    final List<Subscription> subscriptions;
    final long limit;
    final List<HeldFrame> frames = new ArrayList<>();
    long bytes;
    long timer = -1;

    Held(RequestView view, List<Subscription> subscriptions, long limit) {
      this.view = view;
      this.subscriptions = subscriptions;
      this.limit = limit;
    }

    void release() {
      for (HeldFrame f : frames) {
        if (f.data() != null) {
          f.data().release();
        }
      }
      frames.clear();
    }
  }

  /** One upstream HTTP/2 connection and the streams it carries. */
  private static final class Target {
    final String key;
    H2Endpoint endpoint;
    Upstream upstream;
    boolean failed;
    final List<Runnable> pending = new ArrayList<>();
    final Map<Http2FrameStream, Route> byUpstreamStream = new IdentityHashMap<>();

    Target(String key) {
      this.key = key;
    }

    void run(Runnable r) {
      if (endpoint != null) {
        r.run();
      } else if (!failed) {
        pending.add(r);
      }
    }
  }

  public H2Connection(
      NetSocket client,
      StreamEnds clientReads,
      ConnectionInfo info,
      PortSubscriptions subscriptions,
      Supplier<Future<Upstream>> passThrough) {
    this.client = client;
    this.clientReads = clientReads;
    this.info = info;
    this.subscriptions = subscriptions;
    this.passThrough = passThrough;
  }

  /** Starts with the bytes read during detection (the connection preface onwards). */
  public void start(Buffer alreadyRead) {
    clientSide = H2Endpoint.server(this, client::write);
    clientReads.handler(data -> clientSide.feed(data));
    clientReads.finHandler(() -> closeAll(false));
    // a client's reset reaches the upstreams as a reset, like every other stolen connection's
    clientReads.closeHandler(this::closeAll);
    clientSide.feed(alreadyRead);
    client.resume();
  }

  @Override
  public void frame(H2Endpoint from, Object frame) {
    try {
      if (from == clientSide) {
        fromClient(frame);
      } else {
        fromUpstream(from, frame);
      }
    } finally {
      ReferenceCountUtil.release(frame);
    }
  }

  private void fromClient(Object frame) {
    if (!(frame instanceof Http2StreamFrame sf) || sf.stream() == null) {
      return; // SETTINGS, PING, GOAWAY: handled by the codec or ending with the connection
    }
    Route route = routes.get(sf.stream());
    if (frame instanceof Http2HeadersFrame h) {
      if (route == null) {
        route = newRoute(h);
      }
      if (route.held != null) {
        hold(route, new HeldFrame(h.headers(), null, h.isEndStream()));
      } else {
        forwardHeaders(route, h.headers(), h.isEndStream());
      }
    } else if (frame instanceof Http2DataFrame d && route != null) {
      int credit = d.initialFlowControlledBytes();
      if (route.held != null) {
        hold(route, new HeldFrame(null, d.content().retain(), d.isEndStream()));
      } else {
        forwardData(route, d.content().retain(), d.isEndStream());
      }
      if (credit > 0) {
        clientSide.write(new DefaultHttp2WindowUpdateFrame(credit), sf.stream());
      }
    } else if (frame instanceof Http2ResetFrame rst && route != null) {
      Route r = route;
      routes.remove(sf.stream());
      if (r.held != null) {
        cancelTimer(r.held);
        r.held.release();
        r.held = null;
        return;
      }
      r.target.run(
          () -> {
            r.target.endpoint.write(new DefaultHttp2ResetFrame(rst.errorCode()), r.upstreamStream);
            r.target.byUpstreamStream.remove(r.upstreamStream);
          });
    }
  }

  private void forwardHeaders(Route r, Http2Headers headers, boolean end) {
    r.target.run(
        () -> {
          if (r.upstreamStream == null) {
            r.upstreamStream = r.target.endpoint.newStream();
          }
          r.target.endpoint.write(new DefaultHttp2HeadersFrame(headers, end), r.upstreamStream);
          r.target.byUpstreamStream.put(r.upstreamStream, r);
        });
  }

  private void forwardData(Route r, ByteBuf content, boolean end) {
    r.target.run(
        () -> r.target.endpoint.write(new DefaultHttp2DataFrame(content, end), r.upstreamStream));
  }

  private Route newRoute(Http2HeadersFrame h) {
    String path = h.headers().path() == null ? "/" : h.headers().path().toString();
    String method = h.headers().method() == null ? "" : h.headers().method().toString();
    List<Map.Entry<String, String>> plain = new ArrayList<>();
    h.headers()
        .forEach(
            e -> {
              if (e.getKey().length() > 0 && e.getKey().charAt(0) != ':') {
                plain.add(Map.entry(e.getKey().toString(), e.getValue().toString()));
              }
            });
    RequestView view = new RequestView(method, path, plain);
    List<Subscription> subs = subscriptions.on(info.originalDestination().getPort());
    long limit = -1;
    Duration wait = Duration.ZERO;
    for (Subscription s : subs) {
      if (s.filter() != null && s.filter().needsBody()) {
        limit = Math.max(limit, s.filter().maxBodyBytes());
        wait = wait.compareTo(s.filter().bodyTimeout()) < 0 ? s.filter().bodyTimeout() : wait;
      }
    }
    Route route;
    if (limit >= 0 && !h.isEndStream()) {
      // a body filter may decide: hold the stream's frames until its body is known
      route = new Route(null, h.stream());
      route.held = new Held(view, subs, limit);
      startTimer(route, wait);
    } else {
      route = new Route(target(choose(view, subs, RequestBody.of(new byte[0]), h)), h.stream());
    }
    routes.put(h.stream(), route);
    return route;
  }

  private Subscription choose(
      RequestView view, List<Subscription> subs, RequestBody body, Http2HeadersFrame h) {
    Subscription match = null;
    for (Subscription s : subs) {
      if (s.filter() == null) {
        continue;
      }
      RequestBody seen =
          body.available() && body.length() <= s.filter().maxBodyBytes()
              ? body
              : RequestBody.UNAVAILABLE;
      if (s.filter().matches(view, seen)) {
        match = s;
        break;
      }
    }
    log.debug(
        "{}: h2 stream {} {} {} -> {}",
        info,
        h == null ? "" : h.stream().id(),
        view.method(),
        view.target(),
        match == null ? "original destination" : match.target().describe());
    return match;
  }

  private void startTimer(Route route, Duration wait) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return;
    }
    Held held = route.held;
    held.timer =
        context
            .owner()
            .setTimer(
                Math.max(1, wait.toMillis()),
                id -> {
                  if (route.held == held && !closed) {
                    log.debug(
                        "{}: h2 body not complete within {} ms, body filters do not match",
                        info,
                        wait.toMillis());
                    decide(route, RequestBody.UNAVAILABLE);
                  }
                });
  }

  private static void cancelTimer(Held held) {
    Context context = Vertx.currentContext();
    if (held.timer >= 0 && context != null) {
      context.owner().cancelTimer(held.timer);
    }
  }

  /** Adds a frame to a held stream; decides once the body is complete or over the size limit. */
  private void hold(Route route, HeldFrame frame) {
    Held held = route.held;
    held.frames.add(frame);
    if (frame.data() != null) {
      held.bytes += frame.data().readableBytes();
    }
    if (frame.end()) {
      if (held.bytes > held.limit) {
        decide(route, RequestBody.UNAVAILABLE);
        return;
      }
      byte[] body = new byte[(int) held.bytes];
      int at = 0;
      for (HeldFrame f : held.frames) {
        if (f.data() != null) {
          int n = f.data().readableBytes();
          f.data().getBytes(f.data().readerIndex(), body, at, n);
          at += n;
        }
      }
      decide(route, RequestBody.of(body));
    } else if (held.bytes > held.limit) {
      log.debug("{}: h2 body larger than {} bytes, body filters do not match", info, held.limit);
      decide(route, RequestBody.UNAVAILABLE);
    }
  }

  /** Routes a held stream and sends what was held, in order. */
  private void decide(Route route, RequestBody body) {
    Held held = route.held;
    route.held = null;
    cancelTimer(held);
    route.target = target(choose(held.view, held.subscriptions, body, null));
    for (HeldFrame f : held.frames) {
      if (f.headers() != null) {
        forwardHeaders(route, f.headers(), f.end());
      } else {
        forwardData(route, f.data(), f.end());
      }
    }
    held.frames.clear();
  }

  private Target target(Subscription match) {
    String key = match == null ? PASS_THROUGH : match.clientId();
    Target existing = targets.get(key);
    if (existing != null && !existing.failed) {
      return existing;
    }
    Target t = new Target(key);
    targets.put(key, t);
    Future<Upstream> opening = match == null ? passThrough.get() : match.target().open(info);
    opening.onComplete(
        ar -> {
          if (closed) {
            if (ar.succeeded()) {
              ar.result().close();
            }
            return;
          }
          if (ar.failed()) {
            log.warn(
                "{}: cannot reach {}: {}",
                info,
                key.equals(PASS_THROUGH) ? "the original destination" : key,
                ar.cause().getMessage());
            targetGone(t, Http2Error.REFUSED_STREAM);
            return;
          }
          Upstream up = ar.result();
          t.upstream = up;
          t.endpoint = H2Endpoint.client(this, up::write);
          up.handler(data -> t.endpoint.feed(data));
          up.closeHandler(v -> targetGone(t, Http2Error.CONNECT_ERROR));
          up.resume();
          List<Runnable> queued = new ArrayList<>(t.pending);
          t.pending.clear();
          queued.forEach(Runnable::run);
        });
    return t;
  }

  private void fromUpstream(H2Endpoint from, Object frame) {
    if (!(frame instanceof Http2StreamFrame sf) || sf.stream() == null || closed) {
      return;
    }
    Target t = targetOf(from);
    Route r = t == null ? null : t.byUpstreamStream.get(sf.stream());
    if (r == null) {
      return;
    }
    if (frame instanceof Http2HeadersFrame h) {
      clientSide.write(new DefaultHttp2HeadersFrame(h.headers(), h.isEndStream()), r.clientStream);
      if (h.isEndStream()) {
        finished(r);
      }
    } else if (frame instanceof Http2DataFrame d) {
      clientSide.write(
          new DefaultHttp2DataFrame(d.content().retain(), d.isEndStream()), r.clientStream);
      if (d.initialFlowControlledBytes() > 0) {
        from.write(new DefaultHttp2WindowUpdateFrame(d.initialFlowControlledBytes()), sf.stream());
      }
      if (d.isEndStream()) {
        finished(r);
      }
    } else if (frame instanceof Http2ResetFrame rst) {
      clientSide.write(new DefaultHttp2ResetFrame(rst.errorCode()), r.clientStream);
      finished(r);
    }
  }

  private Target targetOf(H2Endpoint endpoint) {
    for (Target t : targets.values()) {
      if (t.endpoint == endpoint) {
        return t;
      }
    }
    return null;
  }

  private void finished(Route r) {
    routes.remove(r.clientStream);
    r.target.byUpstreamStream.remove(r.upstreamStream);
  }

  /** An upstream connection failed or closed: its open streams are reset towards the client. */
  private void targetGone(Target t, Http2Error error) {
    t.failed = true;
    t.pending.clear();
    if (targets.get(t.key) == t) {
      targets.remove(t.key);
    }
    if (closed) {
      return;
    }
    for (Route r : new ArrayList<>(routes.values())) {
      if (r.target == t) {
        clientSide.write(new DefaultHttp2ResetFrame(error), r.clientStream);
        routes.remove(r.clientStream);
      }
    }
  }

  private void closeAll(boolean reset) {
    if (closed) {
      return;
    }
    closed = true;
    for (Target t : targets.values()) {
      if (t.upstream != null) {
        if (reset) {
          t.upstream.reset();
        } else {
          t.upstream.close();
        }
      }
    }
    targets.clear();
    for (Route r : routes.values()) {
      if (r.held != null) {
        cancelTimer(r.held);
        r.held.release();
        r.held = null;
      }
    }
    routes.clear();
    client.close();
  }
}
