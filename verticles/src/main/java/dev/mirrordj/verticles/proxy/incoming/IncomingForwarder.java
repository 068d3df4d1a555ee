package dev.mirrordj.verticles.proxy.incoming;

import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.protocol.incoming.Incoming;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the local program's listeners into subscriptions at the agent: a listener on local port P
 * subscribes the remote port its {@link SubscriptionPlan} names and has each remote connection
 * delivered into a real connection to the listener. Several listeners for one remote port (forked
 * workers, IPv4 + IPv6) share one subscription; the last one to close, or its process ending,
 * unsubscribes. Owned by the {@link IncomingVerticle}; synchronized all the same, so a reply
 * arriving on another thread cannot see a half-updated table.
 */
public final class IncomingForwarder {
  private static final Logger log = LoggerFactory.getLogger(IncomingForwarder.class);

  /** One listening socket of one process. */
  record Listener(int pid, SockAddr bound) {}

  /** Where pod ports are subscribed (the agent link, over the bus). */
  public interface AgentSubscriptions {
    /** Subscribes {@code s.port()}; its connections are delivered to {@code deliverTo}. */
    Future<Void> subscribe(Incoming.Subscribe s, SocketAddress deliverTo);

    Future<Void> unsubscribe(int port);
  }

  private final AgentSubscriptions client;
  private final SubscriptionPlan plan;
  private final Consumer<String> userWarnings;
  private final Map<Integer, Set<Listener>> holders = new HashMap<>();
  private final Map<Listener, Integer> remoteOf = new HashMap<>();
  // subscriptions still on their way to the agent, by remote port
  private final Map<Integer, Future<Void>> settled = new HashMap<>();

  public IncomingForwarder(
      AgentSubscriptions client, IncomingSettings settings, Consumer<String> userWarnings) {
    this.client = client;
    this.plan = new SubscriptionPlan(settings);
    this.userWarnings = userWarnings;
  }

  /** Process {@code pid} listens on {@code bound} (the real local address, port chosen). */
  public synchronized Future<Void> listening(int pid, SockAddr bound) {
    return listening(pid, bound, bound.port());
  }

  /**
   * Process {@code pid} listens on {@code bound} after asking to bind {@code requestedPort} (they
   * differ under listen_ports): the subscription is planned on the requested port, delivery goes to
   * the real one.
   *
   * @return completes once the port's subscription is settled at the agent (accepted or refused,
   *     refusals being told to the user), at once when the listener stays local; the layer's
   *     listen() returns then, as mirrord's does, so traffic flows when it returns and a listener
   *     closed right after never races its own subscription
   */
  public synchronized Future<Void> listening(int pid, SockAddr bound, int requestedPort) {
    if (!bound.isInet()) {
      return Future.succeededFuture();
    }
    Listener l = new Listener(pid, bound);
    Integer already = remoteOf.get(l);
    if (already != null) {
      // listen() called again on the same socket
      return settled.getOrDefault(already, Future.succeededFuture());
    }
    Optional<Incoming.Subscribe> sub = plan.plan(bound.inetAddress(), requestedPort);
    if (sub.isEmpty()) {
      log.debug("listener {} of pid {} stays local (feature.network.incoming)", bound, pid);
      return Future.succeededFuture();
    }
    int remote = sub.get().port();
    remoteOf.put(l, remote);
    Set<Listener> set = holders.computeIfAbsent(remote, k -> new HashSet<>());
    set.add(l);
    if (set.size() > 1) {
      // the port is already subscribed for an earlier listener
      return settled.getOrDefault(remote, Future.succeededFuture());
    }
    String what = sub.get().mode() == Incoming.MODE_MIRROR ? "mirroring" : "stealing";
    SocketAddress target = deliveryAddress(bound);
    log.info("{} remote port {} into local {}", what, remote, target);
    Future<Void> done =
        client
            .subscribe(sub.get(), target)
            .onFailure(
                e -> {
                  userWarnings.accept(
                      "mirrord: warning: "
                          + what
                          + " remote port "
                          + remote
                          + " failed: "
                          + e.getMessage()
                          + "; the listener on local port "
                          + bound.port()
                          + " gets no remote traffic");
                  forgetPort(remote, set);
                })
            .otherwiseEmpty();
    settled.put(remote, done);
    done.onComplete(ar -> forgetSettled(remote, done));
    return done;
  }

  private synchronized void forgetSettled(int remote, Future<Void> done) {
    settled.remove(remote, done);
  }

  /**
   * Whether a listener asking for {@code requested} gets a subscription (its bind may then move).
   */
  public boolean wouldSubscribe(SockAddr requested) {
    return requested.isInet() && plan.plan(requested.inetAddress(), requested.port()).isPresent();
  }

  /** The listening socket was closed (its last descriptor). */
  public synchronized void closed(int pid, SockAddr bound) {
    Listener l = new Listener(pid, bound);
    Integer remote = remoteOf.remove(l);
    if (remote != null) {
      release(remote, l);
    }
  }

  /** The process ended: all its listeners are gone. */
  public synchronized void processGone(int pid) {
    Iterator<Map.Entry<Listener, Integer>> it = remoteOf.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Listener, Integer> e = it.next();
      if (e.getKey().pid() == pid) {
        it.remove();
        release(e.getValue(), e.getKey());
      }
    }
  }

  /** Remote ports subscribed right now (for tests and status). */
  public synchronized Set<Integer> subscribedPorts() {
    return Set.copyOf(holders.keySet());
  }

  private void release(int remote, Listener l) {
    Set<Listener> set = holders.get(remote);
    if (set == null || !set.remove(l) || !set.isEmpty()) {
      return;
    }
    holders.remove(remote);
    log.info("remote port {} released (its last local listener is gone)", remote);
    client
        .unsubscribe(remote)
        .onFailure(e -> log.debug("unsubscribe {}: {}", remote, e.toString()));
  }

  /**
   * A subscribe failed: forgets its listeners, unless the port was released and subscribed again
   * meanwhile (a newer holder set): that one has its own subscribe, and forgetting it would leave
   * its redirect with nobody to release it.
   */
  private synchronized void forgetPort(int remote, Set<Listener> failed) {
    if (holders.get(remote) != failed) {
      return;
    }
    holders.remove(remote);
    failed.forEach(remoteOf::remove);
  }

  /** Where to connect to reach the listener: a wildcard bind is reached over loopback. */
  static SocketAddress deliveryAddress(SockAddr bound) {
    InetAddress a = bound.inetAddress();
    if (a.isAnyLocalAddress()) {
      try {
        a =
            InetAddress.getByAddress(
                a.getAddress().length == 4
                    ? new byte[] {127, 0, 0, 1}
                    : new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // cannot happen: literal address bytes
      }
    }
    return SocketAddress.inetSocketAddress(bound.port(), a.getHostAddress());
  }
}
