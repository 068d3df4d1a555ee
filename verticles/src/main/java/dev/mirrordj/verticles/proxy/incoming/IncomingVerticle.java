package dev.mirrordj.verticles.proxy.incoming;

import dev.mirrordj.protocol.incoming.Incoming;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.bus.Codecs;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Owns the session's incoming subscriptions: takes the layer's listener events from the proxy
 * ({@link Addresses#LOCAL_INCOMING_LISTEN}, {@link Addresses#LOCAL_INCOMING_LISTENER_CLOSED},
 * {@link Addresses#LOCAL_LAYER_PROCESS_GONE}), answers {@link Addresses#LOCAL_INCOMING_BIND_BUSY},
 * and subscribes and unsubscribes pod ports through the agent link ({@link
 * Addresses#AGENT_INCOMING_SUBSCRIBE}, {@link Addresses#AGENT_INCOMING_UNSUBSCRIBE}) with the
 * address of the local listener each connection is delivered to. The delivered connections' bytes
 * never cross the bus: the agent link relays them on a socket to that address. Failures the user
 * must see go to {@link Addresses#LOCAL_USER_NOTICE}.
 *
 * <p>Deployed only while feature.network.incoming is not off.
 */
public final class IncomingVerticle extends VerticleBase {
  private final IncomingSettings settings;
  private final Map<Integer, Integer> listenPorts;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private IncomingForwarder forwarder;

  /**
   * @param listenPorts feature.network.incoming.listen_ports as requested port → local port
   */
  public IncomingVerticle(IncomingSettings settings, Map<Integer, Integer> listenPorts) {
    this.settings = settings;
    this.listenPorts = Map.copyOf(listenPorts);
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    EventBus bus = vertx.eventBus();
    forwarder =
        new IncomingForwarder(
            new BusSubscriptions(bus),
            settings,
            line -> bus.send(Addresses.LOCAL_USER_NOTICE, new Messages.UserNotice(line)));
    consumers.add(
        bus.<Messages.Listen>consumer(
            Addresses.LOCAL_INCOMING_LISTEN,
            m ->
                forwarder
                    .listening(m.body().pid(), m.body().bound(), m.body().requestedPort())
                    .onComplete(ar -> m.reply(null))));
    consumers.add(
        bus.<Messages.ListenerClosed>consumer(
            Addresses.LOCAL_INCOMING_LISTENER_CLOSED,
            m -> forwarder.closed(m.body().pid(), m.body().bound())));
    consumers.add(
        bus.<Messages.ProcessGone>consumer(
            Addresses.LOCAL_LAYER_PROCESS_GONE, m -> forwarder.processGone(m.body().pid())));
    consumers.add(
        bus.<Messages.BindBusy>consumer(
            Addresses.LOCAL_INCOMING_BIND_BUSY,
            m -> m.reply(forwarder.wouldSubscribe(m.body().requested()))));
    Future<Void> registered =
        Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
    // the proxy hands listen_ports to every layer in its Hello; without a proxy (tests) nobody
    // needs them
    return registered.compose(
        v ->
            bus.request(Addresses.LOCAL_PROXY_LISTEN_PORTS, new Messages.ListenPorts(listenPorts))
                .<Void>mapEmpty()
                .recover(e -> noHandlers(e) ? Future.succeededFuture() : Future.failedFuture(e)));
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  /** Remote ports subscribed right now. */
  public java.util.Set<Integer> subscribedPorts() {
    return forwarder == null ? java.util.Set.of() : forwarder.subscribedPorts();
  }

  private static boolean noHandlers(Throwable e) {
    return e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
  }

  /** Subscriptions through whoever holds the agent connection, over the bus. */
  private record BusSubscriptions(EventBus bus) implements IncomingForwarder.AgentSubscriptions {
    @Override
    public Future<Void> subscribe(Incoming.Subscribe s, SocketAddress deliverTo) {
      return bus.request(
              Addresses.AGENT_INCOMING_SUBSCRIBE,
              Messages.IncomingSubscribe.of(s, deliverTo.host(), deliverTo.port()))
          .mapEmpty();
    }

    @Override
    public Future<Void> unsubscribe(int port) {
      return bus.request(
              Addresses.AGENT_INCOMING_UNSUBSCRIBE, new Messages.IncomingUnsubscribe(port))
          .mapEmpty();
    }
  }
}
