package dev.mirrordj.agent.incoming.steal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Steal subscriptions per port, in subscription order. Rules: an unfiltered steal takes the whole
 * port and excludes every other steal on it ({@link PortAlreadyStolenException}); filtered steals
 * may share a port, and each request goes to the first whose filter matches. Thread-safe: read on
 * every connection, changed by client sessions.
 */
public final class PortSubscriptions {

  private final Map<Integer, List<Subscription>> byPort = new ConcurrentHashMap<>();

  /**
   * Adds a subscription.
   *
   * @return true if this is the port's first subscription (the caller installs the redirect)
   * @throws PortAlreadyStolenException if the port is taken whole, or a whole-port steal meets
   *     filtered ones
   */
  public synchronized boolean add(Subscription s) {
    List<Subscription> list = byPort.computeIfAbsent(s.port(), p -> new CopyOnWriteArrayList<>());
    for (Subscription existing : list) {
      if (existing.clientId().equals(s.clientId())) {
        throw new PortAlreadyStolenException(
            s.port(), "this client already subscribed to port " + s.port());
      }
      if (existing.unfiltered() || s.unfiltered()) {
        throw new PortAlreadyStolenException(
            s.port(),
            "port "
                + s.port()
                + " is already stolen by "
                + existing.target().describe()
                + (existing.unfiltered() ? " without a filter" : " with a filter"));
      }
    }
    list.add(s);
    return list.size() == 1;
  }

  /** Removes a client's subscription; returns true if the port has no subscription left. */
  public synchronized boolean remove(String clientId, int port) {
    List<Subscription> list = byPort.get(port);
    if (list == null) {
      return false;
    }
    list.removeIf(s -> s.clientId().equals(clientId));
    if (list.isEmpty()) {
      byPort.remove(port);
      return true;
    }
    return false;
  }

  /**
   * Replaces the subscription of {@code s.clientId()} on {@code s.port()} by {@code s} (a new
   * filter), in the same place of the port's order.
   *
   * @throws IllegalArgumentException if the client has no subscription on the port
   * @throws PortAlreadyStolenException if the change would make the steal unfiltered on a shared
   *     port, or filtered on a port another client steals whole
   */
  public synchronized void replace(Subscription s) {
    List<Subscription> list = byPort.get(s.port());
    int at = -1;
    for (int i = 0; list != null && i < list.size(); i++) {
      Subscription existing = list.get(i);
      if (existing.clientId().equals(s.clientId())) {
        at = i;
      } else if (existing.unfiltered() || s.unfiltered()) {
        throw new PortAlreadyStolenException(
            s.port(), "port " + s.port() + " is shared with " + existing.target().describe());
      }
    }
    if (at < 0) {
      throw new IllegalArgumentException(
          s.clientId() + " has no steal subscription on port " + s.port());
    }
    list.set(at, s);
  }

  /** Ports a client subscribed to (for cleanup when it leaves). */
  public synchronized List<Integer> portsOf(String clientId) {
    List<Integer> ports = new ArrayList<>();
    byPort.forEach(
        (port, list) -> {
          if (list.stream().anyMatch(s -> s.clientId().equals(clientId))) {
            ports.add(port);
          }
        });
    return ports;
  }

  public List<Subscription> on(int port) {
    return byPort.getOrDefault(port, List.of());
  }

  /** The whole-port steal on this port, if any. */
  public Optional<Subscription> wholePort(int port) {
    return on(port).stream().filter(Subscription::unfiltered).findFirst();
  }
}
