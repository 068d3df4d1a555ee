package dev.mirrordj.agent.incoming.steal;

import dev.mirrordj.agent.incoming.redirect.RedirectRules;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's steal side: the redirect listeners (IPv4 and IPv6) in the target's namespace, the
 * subscriptions, and the redirect rules that follow them (installed with a port's first
 * subscription, removed with its last). Subscription changes block on iptables: call them off the
 * event loop. They are serialized: a port's subscription list and its rule change together, so a
 * subscribe and an unsubscribe racing from different sessions or threads always end with a rule
 * exactly when the port has a subscriber.
 */
public final class StealEngine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StealEngine.class);

  private final PortSubscriptions subscriptions;
  private final NetServer v4;
  private final NetServer v6;
  private final RedirectRules rules;
  private final InFlightRequests inFlight;
  private boolean draining;

  private StealEngine(
      PortSubscriptions subscriptions,
      NetServer v4,
      NetServer v6,
      RedirectRules rules,
      InFlightRequests inFlight) {
    this.subscriptions = subscriptions;
    this.v4 = v4;
    this.v6 = v6;
    this.rules = rules;
    this.inFlight = inFlight;
  }

  /**
   * Starts listening in the namespace of {@code targetVertx} (see {@code NamespacedVertx}) and
   * returns the engine; {@code rulesFor} builds the redirect rules from the listener ports {@code
   * [ipv4, ipv6]} (ipv6 0 when IPv6 is unavailable).
   */
  public static Future<StealEngine> start(
      Vertx targetVertx, Duration detectionTimeout, Function<int[], RedirectRules> rulesFor) {
    PortSubscriptions subs = new PortSubscriptions();
    InFlightRequests inFlight = new InFlightRequests();
    Promise<StealEngine> promise = Promise.promise();
    // listen() must be called on a namespaced thread: a socket lands in its creator's namespace
    targetVertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              StolenConnectionHandler handler =
                  new StolenConnectionHandler(
                      targetVertx,
                      targetVertx.createNetClient(
                          new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5000)),
                      subs,
                      detectionTimeout,
                      inFlight);
              NetServerOptions opts =
                  new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true);
              NetServer s4 = targetVertx.createNetServer(opts).connectHandler(handler);
              NetServer s6 = targetVertx.createNetServer(opts).connectHandler(handler);
              s4.listen(0, "0.0.0.0")
                  .compose(
                      x ->
                          s6.listen(0, "::")
                              .map(s -> s.actualPort())
                              .recover(
                                  e -> {
                                    log.warn(
                                        "no IPv6 redirect listener ({}); IPv6 traffic will not be stolen",
                                        e.getMessage());
                                    return Future.succeededFuture(0);
                                  }))
                  .onSuccess(
                      p6 ->
                          promise.complete(
                              new StealEngine(
                                  subs,
                                  s4,
                                  s6,
                                  rulesFor.apply(new int[] {s4.actualPort(), p6}),
                                  inFlight)))
                  .onFailure(promise::fail);
            });
    return promise.future();
  }

  public PortSubscriptions subscriptions() {
    return subscriptions;
  }

  public int listenerPortV4() {
    return v4.actualPort();
  }

  public int listenerPortV6() {
    return v6.actualPort();
  }

  /**
   * Adds a steal subscription and redirects its port if it is the first. Blocking.
   *
   * @return true when this subscription installed the port's redirect rules
   */
  public boolean subscribe(Subscription s) {
    return subscribe(s, false);
  }

  /**
   * Adds a steal subscription; with {@code flushConnections} ({@code agent.flush_connections})
   * connections established before the redirect are reset so they come back through it.
   *
   * @return true when this subscription installed the port's redirect rules
   */
  public synchronized boolean subscribe(Subscription s, boolean flushConnections) {
    if (draining) {
      throw new IllegalStateException("the agent is stopping; it steals no new port");
    }
    boolean first = subscriptions.add(s);
    if (first) {
      try {
        rules.addPort(s.port());
        if (flushConnections) {
          rules.flushConnections(s.port());
        }
      } catch (RuntimeException e) {
        subscriptions.remove(s.clientId(), s.port());
        throw e;
      }
    }
    return first;
  }

  /**
   * Gives a client's subscription on its port a new filter, keeping its place in the port's order.
   */
  public synchronized void changeFilter(Subscription replacement) {
    subscriptions.replace(replacement);
  }

  /**
   * Removes a steal subscription; stops redirecting the port when it was the last. Blocking.
   *
   * @return true when the port's redirect rules were removed
   */
  public synchronized boolean unsubscribe(String clientId, int port) {
    if (subscriptions.remove(clientId, port)) {
      rules.removePort(port);
      return true;
    }
    return false;
  }

  /**
   * Removes every subscription of a client that left. Blocking.
   *
   * @return the ports whose redirect rules were removed
   */
  public synchronized List<Integer> clientGone(String clientId) {
    List<Integer> released = new ArrayList<>();
    for (int port : subscriptions.portsOf(clientId)) {
      if (unsubscribe(clientId, port)) {
        released.add(port);
      }
    }
    return released;
  }

  /**
   * The first step of a graceful stop: removes every redirect rule, so new connections reach the
   * pod's app, then waits (blocking, at most {@code window}) until the HTTP exchanges already on
   * stolen connections have finished. Connections stay open; {@link #close} ends them.
   *
   * @return the exchanges still in flight when the wait ended (0 when all finished)
   */
  public int drain(Duration window) throws InterruptedException {
    synchronized (this) {
      draining = true;
      rules.close();
    }
    long deadline = System.nanoTime() + window.toNanos();
    log.info(
        "stopping: redirects removed; waiting up to {} ms for {} stolen requests in flight",
        window.toMillis(),
        inFlight.count());
    while (inFlight.count() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling a counter kept by many event loops
    }
    return inFlight.count();
  }

  /** Removes the rules first (so the pod gets its traffic back), then stops listening. */
  @Override
  public void close() {
    rules.close();
    v4.close();
    v6.close();
  }
}
