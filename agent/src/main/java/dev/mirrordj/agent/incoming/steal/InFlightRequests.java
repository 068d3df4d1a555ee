package dev.mirrordj.agent.incoming.steal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the HTTP/1 exchanges on stolen connections that have started and not yet finished (request
 * routed, response not complete), so a stopping agent can let them finish before it lets go of its
 * clients. Thread-safe: every stolen connection's event loop counts here.
 */
public final class InFlightRequests {
  private final AtomicInteger count = new AtomicInteger();

  void started() {
    count.incrementAndGet();
  }

  void finished() {
    count.decrementAndGet();
  }

  public int count() {
    return count.get();
  }
}
