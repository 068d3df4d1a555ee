package dev.mirrordj.agent.incoming.steal;

import dev.mirrordj.agent.incoming.filter.HttpFilter;

/**
 * One client's steal subscription on a port.
 *
 * @param filter null for an unfiltered steal, which takes the whole port
 */
public record Subscription(String clientId, int port, HttpFilter filter, StealTarget target) {

  public boolean unfiltered() {
    return filter == null;
  }
}
