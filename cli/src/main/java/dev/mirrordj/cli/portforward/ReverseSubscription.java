package dev.mirrordj.cli.portforward;

import dev.mirrordj.config.IncomingMode;
import dev.mirrordj.protocol.incoming.Incoming;
import dev.mirrordj.verticles.proxy.incoming.IncomingSettings;

/**
 * What {@code -R} subscribes at the agent for one pod port, from feature.network.incoming: a copy
 * (mirror) or the traffic itself (steal); with an HTTP filter that covers the port only the
 * matching requests, otherwise the whole port. Filters apply to steal only, as everywhere.
 */
final class ReverseSubscription {
  private ReverseSubscription() {}

  static Incoming.Subscribe of(IncomingSettings settings, int remotePort) {
    if (settings.mode() == IncomingMode.MIRROR) {
      return new Incoming.Subscribe(remotePort, Incoming.MODE_MIRROR, "", "", false, false);
    }
    if (settings.filtered() && settings.filterPorts().contains(remotePort)) {
      return new Incoming.Subscribe(
          remotePort,
          Incoming.MODE_STEAL,
          settings.headerFilter(),
          settings.pathFilter(),
          false,
          settings.flushConnections(),
          settings.filterTree(),
          settings.maxBodyBytes(),
          settings.bodyTimeoutMillis());
    }
    return new Incoming.Subscribe(
        remotePort, Incoming.MODE_STEAL, "", "", false, settings.flushConnections());
  }
}
