package dev.mirrordj.protocol.incoming;

import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.net.StreamEnds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local side of incoming traffic: subscribes pod ports at the agent and delivers each
 * connection the agent announces into a real TCP connection to the local program's listener.
 * Mirrored connections: the program's answers are discarded. Stolen connections: its answers go
 * back to the agent. Loss reported by the agent is logged loudly and counted ({@link #lostBytes}).
 * Must be used on the Vert.x context that created the {@link AgentClient}.
 */
public final class IncomingClient {

  private static final Logger log = LoggerFactory.getLogger(IncomingClient.class);

  /**
   * How long a mirrored connection may stay half-closed after the remote side closed, while the
   * program answers what it was sent and then closes its side; past that it is closed.
   */
  static final long MIRROR_LINGER_MS = 30_000;

  private final Vertx vertx;
  private final AgentClient agent;
  private final NetClient local;
  private final Map<Integer, SocketAddress> targets =
      new java.util.concurrent.ConcurrentHashMap<>(); // written by subscribers on any thread
  private final Map<Long, LocalConnection> connections = new HashMap<>();
  private final AtomicLong lostBytes = new AtomicLong();
  private final AtomicLong lossReports = new AtomicLong();

  /** One delivered connection: bytes that arrive before the local connect completes are queued. */
  private static final class LocalConnection {
    final boolean mirror;
    NetSocket socket;
    StreamEnds ends;
    Buffer queued = Buffer.buffer();
    boolean shutdownQueued;
    boolean closeQueued;
    boolean resetQueued;
    long unacked; // bytes of the program's answer sent to the agent and not yet credited

    LocalConnection(boolean mirror) {
      this.mirror = mirror;
    }
  }

  public IncomingClient(Vertx vertx, AgentClient agent) {
    this.vertx = vertx;
    this.agent = agent;
    this.local = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    agent.incomingHandler(this::onNotice);
  }

  /** Subscribes {@code s.port()} and delivers its connections to {@code localProgram}. */
  public Future<Void> subscribe(Incoming.Subscribe s, SocketAddress localProgram) {
    targets.put(s.port(), localProgram);
    // on failure forget only this target: a re-subscribe of the port meanwhile keeps its own
    return agent.request(s).<Void>mapEmpty().onFailure(e -> targets.remove(s.port(), localProgram));
  }

  public Future<Void> unsubscribe(int port) {
    // forget the target now, not on the reply: a re-subscribe sent meanwhile must keep its own
    targets.remove(port);
    return agent.request(new Incoming.Unsubscribe(port)).<Void>mapEmpty();
  }

  /** Bytes of mirrored connections the agent could not capture (reported, never silent). */
  public long lostBytes() {
    return lostBytes.get();
  }

  /** How many separate gaps the agent reported in mirrored connections. */
  public long lossReports() {
    return lossReports.get();
  }

  private void onNotice(Message m) {
    if (m instanceof Incoming.NewConnection c) {
      open(c);
    } else if (m instanceof Incoming.Data d) {
      LocalConnection lc = connections.get(d.connId());
      if (lc != null) {
        if (lc.socket == null) {
          lc.queued.appendBuffer(d.data());
        } else {
          deliver(d.connId(), lc, d.data());
        }
      }
    } else if (m instanceof Incoming.Credit c) {
      LocalConnection lc = connections.get(c.connId());
      if (lc != null && lc.socket != null) {
        lc.unacked -= c.bytes();
        if (lc.unacked < Incoming.WINDOW) {
          lc.socket.resume();
        }
      }
    } else if (m instanceof Incoming.Shutdown sh) {
      // the remote client finished sending: the program reads EOF after the last byte and can
      // still answer
      LocalConnection lc = connections.get(sh.connId());
      if (lc != null) {
        if (lc.socket == null) {
          lc.shutdownQueued = true;
        } else {
          lc.ends.shutdownOutput();
        }
      }
    } else if (m instanceof Incoming.Close c) {
      LocalConnection lc = connections.remove(c.connId());
      if (lc != null) {
        if (lc.socket == null) {
          lc.closeQueued = true;
          lc.resetQueued = c.reset();
        } else if (c.reset()) {
          // the remote client reset its connection: the program must see ECONNRESET, not EOF
          StreamEnds.reset(lc.socket);
        } else {
          endLocal(lc);
        }
      }
    } else if (m instanceof Incoming.Loss l) {
      lostBytes.addAndGet(l.bytes());
      lossReports.incrementAndGet();
      log.warn(
          "mirrored connection {} lost {} bytes in the agent's capture: the local program saw an incomplete copy",
          l.connId(),
          l.bytes());
    }
  }

  /** Writes to the local program; a stolen connection's data is credited once it is written. */
  private void deliver(long connId, LocalConnection lc, Buffer data) {
    if (lc.mirror) {
      lc.socket.write(data);
    } else {
      int n = data.length();
      lc.socket.write(data).onSuccess(v -> agent.notice(new Incoming.Credit(connId, n)));
    }
  }

  /**
   * Ends the local connection after the remote side closed. A mirror copy usually closes before the
   * program answered everything it was sent (the pod's app answered first). Closing it then would
   * reset the program mid-answer (ECONNRESET / broken pipe), so the copy is half-closed instead:
   * the program reads EOF after its last request, finishes its answers (read and discarded here)
   * and closes its side, which closes ours; {@link #MIRROR_LINGER_MS} bounds it.
   */
  private void endLocal(LocalConnection lc) {
    NetSocket sock = lc.socket;
    if (!lc.mirror) {
      sock.end();
      return;
    }
    lc.ends.shutdownOutput();
    vertx.setTimer(MIRROR_LINGER_MS, t -> sock.close());
  }

  private void open(Incoming.NewConnection c) {
    SocketAddress target = targets.get(c.port());
    boolean mirror = c.mode() == Incoming.MODE_MIRROR;
    if (target == null) {
      if (!mirror) {
        agent.notice(new Incoming.Close(c.connId()));
      }
      return;
    }
    LocalConnection lc = new LocalConnection(mirror);
    connections.put(c.connId(), lc);
    local
        .connect(target)
        .onSuccess(
            sock -> {
              lc.socket = sock;
              lc.ends = StreamEnds.track(sock);
              if (mirror) {
                // a mirror's answers go nowhere: the pod's own app answered; the program closing
                // its side after our half-close ends the copy
                lc.ends.handler(b -> {});
                lc.ends.finHandler(sock::close);
              } else {
                lc.ends.handler(
                    b -> {
                      agent.notice(new Incoming.Data(c.connId(), b));
                      lc.unacked += b.length();
                      if (lc.unacked >= Incoming.WINDOW) {
                        sock.pause(); // until the agent credits what it passed on
                      }
                    });
                // the program finished its answer but may still read: a FIN, not a close
                lc.ends.finHandler(() -> agent.notice(new Incoming.Shutdown(c.connId())));
                // the program's reset travels as a reset, so the remote client is not left taking
                // a cut answer for a whole one
                lc.ends.closeHandler(
                    reset -> {
                      if (connections.remove(c.connId()) != null) {
                        agent.notice(new Incoming.Close(c.connId(), reset));
                      }
                    });
              }
              if (lc.queued.length() > 0) {
                deliver(c.connId(), lc, lc.queued);
                lc.queued = Buffer.buffer();
              }
              if (lc.shutdownQueued) {
                lc.ends.shutdownOutput();
              }
              if (lc.closeQueued && lc.resetQueued) {
                StreamEnds.reset(sock);
              } else if (lc.closeQueued) {
                endLocal(lc);
              }
            })
        .onFailure(
            e -> {
              log.warn(
                  "local program at {} unreachable for {} connection {}: {}",
                  target,
                  mirror ? "mirrored" : "stolen",
                  c.connId(),
                  e.getMessage());
              connections.remove(c.connId());
              if (!mirror) {
                agent.notice(new Incoming.Close(c.connId()));
              }
            });
  }
}
