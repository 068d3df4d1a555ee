package dev.mirrordj.verticles.proxy.incoming;

import dev.mirrordj.config.IncomingMode;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.PortPair;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.incoming.IncomingClient;
import dev.mirrordj.verticles.proxy.ProxyHandler;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Connects the proxy's listener events to an {@link IncomingForwarder} (the call site in `run`).
 */
public final class IncomingWiring {
  private IncomingWiring() {}

  /**
   * Delivers the pod's incoming traffic to the program's listeners, unless feature.network.incoming
   * is off. {@code userWarnings} receives failures the user must see.
   */
  public static Optional<IncomingForwarder> attach(
      Vertx vertx,
      ProxyHandler handler,
      AgentClient agent,
      MirrordConfig config,
      Consumer<String> userWarnings) {
    IncomingSettings settings = IncomingSettings.from(config);
    if (settings.mode() == IncomingMode.OFF) {
      return Optional.empty();
    }
    IncomingForwarder forwarder =
        new IncomingForwarder(new IncomingClient(vertx, agent), settings, userWarnings);
    handler.useListenPorts(
        config.feature().network().incoming().listenPorts().stream()
            .collect(
                java.util.stream.Collectors.toUnmodifiableMap(PortPair::first, PortPair::second)));
    handler.onListenFrom(
        (pid, listen) -> forwarder.listening(pid, listen.address(), listen.requestedPort()));
    handler.onBindBusy(forwarder::wouldSubscribe);
    handler.onListenerClosed((pid, address) -> forwarder.closed(pid, address));
    handler.onProcessGone(forwarder::processGone);
    return Optional.of(forwarder);
  }
}
