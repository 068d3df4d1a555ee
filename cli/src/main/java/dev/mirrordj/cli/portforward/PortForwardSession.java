package dev.mirrordj.cli.portforward;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.cli.progress.BusProgress;
import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.cli.progress.ProgressMode;
import dev.mirrordj.cli.run.AgentConnector;
import dev.mirrordj.cli.run.AgentLinkVerticle;
import dev.mirrordj.cli.run.RunFailure;
import dev.mirrordj.cli.run.SessionStart;
import dev.mirrordj.config.IncomingMode;
import dev.mirrordj.config.InvalidConfigException;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.protocol.incoming.Incoming;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.bus.Codecs;
import dev.mirrordj.verticles.config.ConfigRequest;
import dev.mirrordj.verticles.proxy.incoming.IncomingSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code port-forward}: the configuration and the agent link as for {@code run} (progress,
 * config and agent-link verticles), then a {@link LocalForwarder} per {@code -L} and an incoming
 * subscription per {@code -R}, delivered by the agent link to the local port. Each mapping, once
 * live, is announced as one JSON line on stdout. Runs until interrupted, or until the agent is lost
 * (exit 1, the reason on stderr).
 */
public final class PortForwardSession {
  private static final Logger log = LoggerFactory.getLogger(PortForwardSession.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROOT_TASK = "mirrord preparing to forward";

  private final ConfigRequest configRequest;
  private final ProgressMode mode;
  private final AgentConnector connector;
  private final PrintStream out;
  private final PrintStream err;

  public PortForwardSession(
      ConfigRequest configRequest,
      ProgressMode mode,
      AgentConnector connector,
      PrintStream out,
      PrintStream err) {
    this.configRequest = configRequest;
    this.mode = mode;
    this.connector = connector;
    this.out = out;
    this.err = err;
  }

  /** Forwards until the JVM is interrupted; returns 1 once the agent is lost. */
  public int run(List<ForwardSpecs.Local> locals, List<ForwardSpecs.Reverse> reverses)
      throws Exception {
    if (locals.isEmpty() && reverses.isEmpty()) {
      throw new RunFailure("nothing to forward: give at least one -L or -R mapping");
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    Codecs.register(vertx);
    CompletableFuture<String> lost = new CompletableFuture<>();
    Thread closer = new Thread(() -> close(vertx), "mirrord-port-forward-shutdown");
    Runtime.getRuntime().addShutdownHook(closer);
    try {
      vertx
          .eventBus()
          .<Messages.AgentState>consumer(
              Addresses.AGENT_STATE,
              m -> {
                if (m.body().state() == Messages.AgentState.State.LOST) {
                  lost.complete(m.body().detail());
                }
              });
      SessionStart.await(start(vertx, locals, reverses));
      String reason = lost.get(); // the progress verticle told the user already
      log.debug("agent lost: {}", reason);
      return 1;
    } finally {
      close(vertx);
      try {
        Runtime.getRuntime().removeShutdownHook(closer);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already
      }
    }
  }

  private Future<Void> start(
      Vertx vertx, List<ForwardSpecs.Local> locals, List<ForwardSpecs.Reverse> reverses) {
    EventBus bus = vertx.eventBus();
    Progress progress = BusProgress.root(bus);
    List<MirrordConfig> config = new ArrayList<>(1);
    return SessionStart.configured(vertx, mode, ROOT_TASK, configRequest, out, err)
        .compose(
            resolved -> {
              resolved.warnings().forEach(progress::warning);
              config.add(resolved.config());
              return vertx.deployVerticle(new AgentLinkVerticle(connector));
            })
        .compose(id -> bus.<Messages.AgentHandle>request(Addresses.LOCAL_AGENT_HANDLE, null))
        .compose(
            handle -> {
              Messages.AgentHandle agent = handle.body();
              List<Future<?>> live = new ArrayList<>();
              for (ForwardSpecs.Local l : locals) {
                LocalForwarder f =
                    new LocalForwarder(
                        vertx,
                        agent.target(),
                        l,
                        line ->
                            bus.send(Addresses.LOCAL_USER_NOTICE, new Messages.UserNotice(line)));
                live.add(f.listen().onSuccess(port -> announceLocal(l, port)));
              }
              if (!reverses.isEmpty()) {
                IncomingSettings settings = IncomingSettings.from(config.get(0));
                if (settings.mode() == IncomingMode.OFF) {
                  return Future.failedFuture(
                      new RunFailure(
                          "-R needs feature.network.incoming.mode to be mirror or steal (it is"
                              + " off)"));
                }
                if (!agent.incoming()) {
                  return Future.failedFuture(
                      new RunFailure(
                          "-R: the agent connection ("
                              + agent.description()
                              + ") carries no"
                              + " incoming traffic"));
                }
                for (ForwardSpecs.Reverse r : reverses) {
                  Incoming.Subscribe s = ReverseSubscription.of(settings, r.remotePort());
                  live.add(
                      bus.request(
                              Addresses.AGENT_INCOMING_SUBSCRIBE,
                              Messages.IncomingSubscribe.of(s, "127.0.0.1", r.localPort()))
                          .recover(
                              e ->
                                  Future.failedFuture(
                                      new RunFailure(
                                          "-R "
                                              + r.remotePort()
                                              + ":"
                                              + r.localPort()
                                              + ": the agent refused the subscription: "
                                              + e.getMessage(),
                                          e)))
                          .onSuccess(v -> announceReverse(r, s)));
                }
              }
              return Future.all(live).<Void>mapEmpty();
            })
        .compose(
            v -> {
              progress.success("Ready!");
              return SessionStart.flush(bus);
            })
        .recover(
            e -> {
              if (e instanceof InvalidConfigException) progress.failure("invalid configuration");
              else progress.failure(null); // the error line says why
              return SessionStart.flush(bus).transform(ar -> Future.failedFuture(e));
            });
  }

  private void announceLocal(ForwardSpecs.Local l, int port) {
    ObjectNode line =
        JSON.createObjectNode()
            .put("type", "PortForward")
            .put("direction", "local")
            .put("listen", "127.0.0.1:" + port)
            .put("to", l.destination());
    print(line);
  }

  private void announceReverse(ForwardSpecs.Reverse r, Incoming.Subscribe s) {
    ObjectNode line =
        JSON.createObjectNode()
            .put("type", "PortForward")
            .put("direction", "reverse")
            .put("pod_port", r.remotePort())
            .put("to", "127.0.0.1:" + r.localPort())
            .put("mode", s.mode() == Incoming.MODE_MIRROR ? "mirror" : "steal")
            .put(
                "filtered",
                s.filter() != null || !s.headerFilter().isEmpty() || !s.pathFilter().isEmpty());
    print(line);
  }

  private void print(ObjectNode line) {
    synchronized (out) {
      out.println(line.toString());
      out.flush();
    }
  }

  private static void close(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("closing the port-forward session: {}", e.toString());
    }
  }
}
