package dev.mirrordj.agent.incoming.steal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts releases (unsubscribe, client gone) per client and port as they arrive, before their
 * blocking work runs. A subscribe takes a {@link Mark} when it arrives; its blocking work, which
 * may wait seconds behind earlier rule changes or the engine's start, asks {@link #overtaken} just
 * before it touches the rules. A listener that the program closed within milliseconds then never
 * gets a redirect at all, instead of one that lives until the queued release removes it (during
 * which the pod's clients would be sent to a listener that is gone).
 */
final class ReleaseMarks {
  /** What had been released when a subscribe arrived. */
  record Mark(long port, long client) {}

  private final Map<String, AtomicLong> byPort = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> byClient = new ConcurrentHashMap<>();

  Mark mark(String clientId, int port) {
    return new Mark(count(byPort, key(clientId, port)), count(byClient, clientId));
  }

  void released(String clientId, int port) {
    byPort.computeIfAbsent(key(clientId, port), k -> new AtomicLong()).incrementAndGet();
  }

  void clientGone(String clientId) {
    byClient.computeIfAbsent(clientId, k -> new AtomicLong()).incrementAndGet();
  }

  /** Whether the port or the whole client was released after {@code mark} was taken. */
  boolean overtaken(String clientId, int port, Mark mark) {
    return count(byPort, key(clientId, port)) != mark.port()
        || count(byClient, clientId) != mark.client();
  }

  /**
   * Drops a departed client's counts. Called from the client-gone work, which runs after every
   * subscribe of that client already queued; later subscribes of a gone client are refused before
   * they take a mark.
   */
  void forget(String clientId) {
    byClient.remove(clientId);
    byPort.keySet().removeIf(k -> k.startsWith(clientId + '\0'));
  }

  private static long count(Map<String, AtomicLong> counts, String key) {
    AtomicLong n = counts.get(key);
    return n == null ? 0 : n.get();
  }

  private static String key(String clientId, int port) {
    return clientId + '\0' + port;
  }
}
