package dev.mirrordj.agent.incoming.steal;

import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentCodecs;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.incoming.IncomingClients;
import dev.mirrordj.agent.incoming.IncomingSettings;
import dev.mirrordj.agent.incoming.filter.FilterCompiler;
import dev.mirrordj.agent.incoming.redirect.CommandRunner;
import dev.mirrordj.agent.incoming.redirect.FirewallBackend;
import dev.mirrordj.agent.incoming.redirect.RedirectRules;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.incoming.Incoming;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steal feature: owns the {@link StealEngine} (redirect listeners in the target, redirect
 * rules, HTTP filter) and changes it on the bus: {@link AgentAddresses#STEAL_SUBSCRIBE}, {@link
 * AgentAddresses#STEAL_UNSUBSCRIBE}, {@link AgentAddresses#STEAL_FILTER} and {@link
 * AgentAddresses#CLIENT_GONE}; it announces {@link AgentAddresses#STEAL_RULES} whenever a port's
 * rules are installed or removed. Stolen bytes never touch the bus: the engine hands each stolen
 * connection to the client's {@link StealTarget} (found in {@link IncomingClients}).
 *
 * <p>The engine starts with the first subscription. Rule changes block on iptables, so they run as
 * ordered blocking tasks of this verticle's context: one at a time, in arrival order. A subscribe
 * whose port or client was released while it waited in that queue installs nothing ({@link
 * ReleaseMarks}).
 */
public final class StealVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(StealVerticle.class);

  private final IncomingClients clients;
  private final Callable<StealEngine> startEngine;
  private final IncomingSettings settings;
  private final ReleaseMarks releases = new ReleaseMarks();
  private StealEngine engine;

  /**
   * @param startEngine starts the engine, blocking; called once, with the first subscription
   */
  public StealVerticle(
      IncomingClients clients, Callable<StealEngine> startEngine, IncomingSettings settings) {
    this.clients = clients;
    this.startEngine = startEngine;
    this.settings = settings;
  }

  /** The production engine: listeners on {@code nsVertx}, rules in the namespace {@code netns}. */
  public static StealVerticle forTarget(
      IncomingClients clients, Vertx nsVertx, Path netns, IncomingSettings settings) {
    return new StealVerticle(clients, () -> startEngine(nsVertx, netns, settings), settings);
  }

  private static StealEngine startEngine(Vertx nsVertx, Path netns, IncomingSettings settings)
      throws Exception {
    CommandRunner runner = new CommandRunner(netns);
    FirewallBackend backend = FirewallBackend.choose(settings.nftables(), runner);
    StealEngine engine;
    try {
      engine =
          StealEngine.start(
                  nsVertx,
                  Duration.ofMillis(500),
                  ports -> new RedirectRules(runner, backend, ports[0], ports[1], 0))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start the steal listener in the target: " + e.getMessage(), e);
    }
    log.info(
        "steal engine ready ({}, listeners {}/{})",
        backend,
        engine.listenerPortV4(),
        engine.listenerPortV6());
    return engine;
  }

  @Override
  public Future<?> start() {
    AgentCodecs.register(vertx);
    var bus = vertx.eventBus();
    return Future.all(
        List.of(
            bus.consumer(AgentAddresses.STEAL_SUBSCRIBE, this::subscribe).completion(),
            bus.consumer(AgentAddresses.STEAL_UNSUBSCRIBE, this::unsubscribe).completion(),
            bus.consumer(AgentAddresses.STEAL_FILTER, this::changeFilter).completion(),
            bus.consumer(AgentAddresses.CLIENT_GONE, this::clientGone).completion()));
  }

  private void subscribe(Message<AgentMessages.Subscribe> msg) {
    AgentMessages.Subscribe s = msg.body();
    StealTarget target = clients.stealTarget(s.clientId());
    if (target == null) {
      msg.fail(Errno.ENOENT, "no client " + s.clientId() + " is connected to this agent");
      return;
    }
    ReleaseMarks.Mark mark = releases.mark(s.clientId(), s.port());
    blocking(
            () -> {
              var filter = FilterCompiler.compile(s.asProtocol(Incoming.MODE_STEAL));
              StealEngine started = engine();
              if (releases.overtaken(s.clientId(), s.port(), mark)) {
                log.debug(
                    "[{}] port {} was released before its steal was applied: nothing installed",
                    s.clientId(),
                    s.port());
                return false;
              }
              return started.subscribe(
                  new Subscription(s.clientId(), s.port(), filter, target),
                  settings.flushConnections(s.flushConnections()));
            })
        .onSuccess(
            installed -> {
              if (installed) {
                rulesChanged(s.port(), true);
              }
              msg.reply(null);
            })
        .onFailure(e -> fail(msg, s.clientId(), s.port(), e));
  }

  private void unsubscribe(Message<AgentMessages.Unsubscribe> msg) {
    AgentMessages.Unsubscribe u = msg.body();
    releases.released(u.clientId(), u.port());
    blocking(() -> engine != null && engine.unsubscribe(u.clientId(), u.port()))
        .onSuccess(
            removed -> {
              if (removed) {
                rulesChanged(u.port(), false);
              }
              msg.reply(null);
            })
        .onFailure(e -> fail(msg, u.clientId(), u.port(), e));
  }

  /** The client subscribed a port it already steals: same port and place, the new filter. */
  private void changeFilter(Message<AgentMessages.Subscribe> msg) {
    AgentMessages.Subscribe f = msg.body();
    StealTarget target = clients.stealTarget(f.clientId());
    if (target == null) {
      msg.fail(Errno.ENOENT, "no client " + f.clientId() + " is connected to this agent");
      return;
    }
    // checked in the ordered task, not here: the subscribe it changes may still be queued
    blocking(
            () -> {
              if (engine == null) {
                throw new IllegalArgumentException(
                    f.clientId() + " has no steal subscription on port " + f.port());
              }
              engine.changeFilter(
                  new Subscription(
                      f.clientId(),
                      f.port(),
                      FilterCompiler.compile(f.asProtocol(Incoming.MODE_STEAL)),
                      target));
              return null;
            })
        .onSuccess(v -> msg.reply(null))
        .onFailure(e -> fail(msg, f.clientId(), f.port(), e));
  }

  private void clientGone(Message<AgentMessages.ClientGone> msg) {
    String clientId = msg.body().clientId();
    releases.clientGone(clientId);
    blocking(
            () -> {
              List<Integer> released =
                  engine == null ? List.<Integer>of() : engine.clientGone(clientId);
              releases.forget(clientId);
              return released;
            })
        .onSuccess(ports -> ports.forEach(port -> rulesChanged(port, false)))
        .onFailure(e -> log.warn("[{}] releasing steals failed: {}", clientId, e.toString()));
  }

  private void rulesChanged(int port, boolean installed) {
    log.info("redirect rules for port {} {}", port, installed ? "installed" : "removed");
    vertx
        .eventBus()
        .publish(AgentAddresses.STEAL_RULES, new AgentMessages.RulesChanged(port, installed));
  }

  private static void fail(Message<?> msg, String clientId, int port, Throwable e) {
    if (e instanceof PortAlreadyStolenException) {
      msg.fail(Errno.EADDRINUSE, e.getMessage());
    } else if (e instanceof IllegalArgumentException) {
      msg.fail(Errno.EINVAL, e.getMessage());
    } else {
      log.warn("[{}] stealing port {} failed: {}", clientId, port, e.toString());
      msg.fail(Errno.EPERM, "cannot receive traffic of port " + port + ": " + e.getMessage());
    }
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, true);
  }

  private synchronized StealEngine engine() throws Exception {
    if (engine == null) {
      engine = startEngine.call();
    }
    return engine;
  }

  /**
   * Graceful stop, first step: no new connection is stolen (the rules go), and the requests already
   * on stolen connections get up to {@code window} to finish. Blocking; see {@link
   * StealEngine#drain}.
   *
   * @return requests still in flight when the window ended
   */
  public int drain(java.time.Duration window) throws InterruptedException {
    StealEngine e;
    synchronized (this) {
      e = engine;
    }
    return e == null ? 0 : e.drain(window);
  }

  /**
   * Removes the redirect rules (so the pod gets its traffic back) and stops the listeners.
   * Blocking; safe to call more than once. The worker also calls it on exit, in case undeploying
   * timed out.
   */
  public synchronized void closeEngine() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(
        () -> {
          closeEngine();
          return null;
        },
        false);
  }
}
