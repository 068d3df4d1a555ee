package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.BusProgress;
import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.config.EnvConfig;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.protocol.incoming.IncomingClient;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.bus.Codecs;
import dev.mirrordj.verticles.config.ResolvedConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the session's agent connection. On start it asks the config verticle for the configuration
 * ({@link Addresses#CONFIG_GET}), connects through its {@link AgentConnector} (a local agent for
 * {@code pid/} targets, the Kubernetes launcher, or {@code connect_tcp}; the agent client pings it
 * while connected) and publishes {@link Messages.AgentState} on {@link Addresses#AGENT_STATE}:
 * CONNECTED, then LOST with the reason if the connection breaks, or CLOSED when the session ends
 * it. Its deployment fails with a {@link RunFailure} when no connection could be made.
 *
 * <p>While connected it answers {@link Addresses#LOCAL_AGENT_HANDLE} (the proxy's direct path to
 * the pod), {@link Addresses#AGENT_ENVIRONMENT}, {@link Addresses#LOCAL_PROGRAM_ENVIRONMENT} and,
 * when the agent speaks the incoming protocol, {@link Addresses#AGENT_INCOMING_SUBSCRIBE} / {@link
 * Addresses#AGENT_INCOMING_UNSUBSCRIBE}: the delivered connections' bytes go from the agent
 * connection straight to a socket to the program's listener.
 */
public final class AgentLinkVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AgentLinkVerticle.class);

  private final AgentConnector connector;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private MirrordConfig config;
  private AgentLink link;
  private IncomingClient incoming;
  private volatile boolean closing;

  public AgentLinkVerticle(AgentConnector connector) {
    this.connector = connector;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    EventBus bus = vertx.eventBus();
    Progress progress = BusProgress.root(bus);
    return bus.<ResolvedConfig>request(Addresses.CONFIG_GET, null)
        .compose(
            reply -> {
              config = reply.body().config();
              Progress connecting = progress.subtask("connecting to the agent");
              Future<AgentLink> connected;
              try {
                connected = connector.connect(vertx, config, connecting);
              } catch (RuntimeException e) {
                connected = Future.failedFuture(e);
              }
              return connected
                  .onFailure(e -> connecting.failure(null))
                  .onSuccess(l -> connecting.success(l.describe()));
            })
        .compose(this::serve);
  }

  private Future<Void> serve(AgentLink connected) {
    link = connected;
    EventBus bus = vertx.eventBus();
    link.target()
        .lost()
        .onFailure(
            e -> {
              if (closing) return; // the session ended it
              log.debug("agent link lost: {}", e.getMessage());
              bus.publish(
                  Addresses.AGENT_STATE,
                  new Messages.AgentState(Messages.AgentState.State.LOST, e.getMessage()));
              if (link.sessionEndsWithLink()) {
                bus.publish(
                    Addresses.LOCAL_SESSION_ENDED, new Messages.SessionEnded(e.getMessage()));
              }
            });
    consumers.add(
        bus.consumer(
            Addresses.LOCAL_AGENT_HANDLE,
            m ->
                m.reply(
                    new Messages.AgentHandle(
                        link.target(), link.describe(), link.agentClient().isPresent()))));
    consumers.add(
        bus.consumer(
            Addresses.AGENT_ENVIRONMENT,
            m -> answer(m, podEnvironment().map(Messages.PodEnvironment::new))));
    consumers.add(
        bus.consumer(
            Addresses.LOCAL_PROGRAM_ENVIRONMENT,
            m ->
                answer(
                    m,
                    podEnvironment()
                        .map(
                            pod ->
                                new Messages.PodEnvironment(
                                    ProgramEnvironment.withoutUnset(pod, envConfig()))))));
    if (link.agentClient().isPresent()) {
      consumers.add(
          bus.<Messages.IncomingSubscribe>consumer(
              Addresses.AGENT_INCOMING_SUBSCRIBE, m -> answer(m, subscribe(m.body()))));
      consumers.add(
          bus.<Messages.IncomingUnsubscribe>consumer(
              Addresses.AGENT_INCOMING_UNSUBSCRIBE,
              m -> answer(m, incoming().unsubscribe(m.body().port()))));
    }
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(
            v ->
                bus.publish(
                    Addresses.AGENT_STATE,
                    new Messages.AgentState(Messages.AgentState.State.CONNECTED, link.describe())))
        .mapEmpty();
  }

  private EnvConfig envConfig() {
    return config.feature().env();
  }

  /** The pod's variables as feature.env selects them. */
  private Future<Map<String, String>> podEnvironment() {
    return link.environment().map(pod -> ProgramEnvironment.remote(pod, envConfig()));
  }

  private Future<Void> subscribe(Messages.IncomingSubscribe s) {
    return incoming()
        .subscribe(
            s.asProtocol(), SocketAddress.inetSocketAddress(s.deliverPort(), s.deliverHost()));
  }

  /** Created on the first subscription: only then does the agent client route incoming notices. */
  private IncomingClient incoming() {
    if (incoming == null) {
      incoming = new IncomingClient(vertx, link.agentClient().orElseThrow());
    }
    return incoming;
  }

  private static <T> void answer(Message<?> m, Future<T> result) {
    result.onComplete(
        ar -> {
          if (ar.succeeded()) {
            m.reply(ar.result());
          } else {
            m.fail(500, String.valueOf(ar.cause().getMessage()));
          }
        });
  }

  @Override
  public Future<?> stop() {
    closing = true;
    Future<?> unregistered =
        Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
    if (link == null) return unregistered;
    vertx
        .eventBus()
        .publish(
            Addresses.AGENT_STATE, new Messages.AgentState(Messages.AgentState.State.CLOSED, ""));
    AgentLink closed = link;
    // closing a local agent waits for its process to exit: not on the event loop
    return unregistered.compose(
        v ->
            vertx.executeBlocking(
                () -> {
                  closed.close();
                  return null;
                },
                false));
  }
}
