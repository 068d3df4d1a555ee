package dev.mirrordj.verticles.proxy.incoming;

import dev.mirrordj.config.IncomingMode;
import dev.mirrordj.protocol.incoming.Incoming;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Decides what a local listener means at the pod: which remote port to subscribe and how (mirror,
 * whole-port steal, filtered steal), or nothing (the listener stays local). Pure, so every rule of
 * feature.network.incoming is unit-tested here.
 */
public final class SubscriptionPlan {
  private final IncomingSettings settings;

  public SubscriptionPlan(IncomingSettings settings) {
    this.settings = settings;
  }

  /**
   * The subscription for a listener bound to {@code address}:{@code localPort}, or empty when the
   * configuration keeps it local.
   */
  public Optional<Incoming.Subscribe> plan(InetAddress address, int localPort) {
    if (settings.mode() == IncomingMode.OFF || localPort == 0) {
      return Optional.empty();
    }
    if (settings.ignoreLocalhost() && address.isLoopbackAddress()) {
      return Optional.empty();
    }
    if (settings.ignorePorts().contains(localPort)) {
      return Optional.empty();
    }
    boolean listed = settings.ports().map(p -> p.contains(localPort)).orElse(false);
    if (settings.ports().isPresent() && !listed) {
      return Optional.empty();
    }
    int remote = settings.localToRemote().getOrDefault(localPort, localPort);
    if (settings.mode() == IncomingMode.MIRROR) {
      return Optional.of(
          new Incoming.Subscribe(remote, Incoming.MODE_MIRROR, "", "", false, false));
    }
    if (settings.filtered()) {
      if (settings.filterPorts().contains(remote)) {
        return Optional.of(
            new Incoming.Subscribe(
                remote,
                Incoming.MODE_STEAL,
                settings.headerFilter(),
                settings.pathFilter(),
                false,
                settings.flushConnections(),
                settings.filterTree(),
                settings.maxBodyBytes(),
                settings.bodyTimeoutMillis()));
      }
      if (!listed) {
        // with a filter, a port the filter does not cover is stolen only when `ports` lists it:
        // the user asked for filtered traffic, so a whole-port steal must be asked for by name
        return Optional.empty();
      }
    }
    return Optional.of(
        new Incoming.Subscribe(
            remote, Incoming.MODE_STEAL, "", "", false, settings.flushConnections()));
  }
}
