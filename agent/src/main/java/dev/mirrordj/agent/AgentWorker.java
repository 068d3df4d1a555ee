package dev.mirrordj.agent;

import dev.mirrordj.agent.bus.AgentCodecs;
import dev.mirrordj.agent.dns.DnsResolver;
import dev.mirrordj.agent.dns.DnsVerticle;
import dev.mirrordj.agent.env.EnvService;
import dev.mirrordj.agent.env.EnvironmentVerticle;
import dev.mirrordj.agent.fs.FilesVerticle;
import dev.mirrordj.agent.fs.PathResolver;
import dev.mirrordj.agent.incoming.IncomingClients;
import dev.mirrordj.agent.incoming.IncomingSettings;
import dev.mirrordj.agent.incoming.mirror.MirrorVerticle;
import dev.mirrordj.agent.incoming.steal.StealVerticle;
import dev.mirrordj.agent.net.OutgoingVerticle;
import dev.mirrordj.agent.ns.NamespacedVertx;
import dev.mirrordj.agent.ns.Namespaces;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent proper: two Vert.x instances (control in the agent's namespace, one joined to the
 * target's network namespace), the feature verticles (files, DNS, environment, outgoing, and for a
 * target mirror and steal), the server verticle that deploys one session verticle per client, and
 * the lifecycle that decides when it all ends. The features are deployed first, so a client never
 * meets a session that cannot attach.
 */
public final class AgentWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentWorker.class);
  public static final String READY_PREFIX = "agent ready - version ";

  private final AgentOptions options;
  private final Target target;
  private final Vertx control;
  private final Vertx nsVertx;
  private final ExecutorService pool;
  private final Lifecycle lifecycle;
  private final IncomingClients incomingClients = new IncomingClients();
  private final AgentServerVerticle server;
  private final StealVerticle steal;

  /** How long a stopping agent lets in-flight stolen requests finish (within the guard's 10 s). */
  static final java.time.Duration DRAIN_WINDOW = java.time.Duration.ofSeconds(5);

  private final MirrorVerticle mirror;
  private final List<String> featureDeployments = new ArrayList<>();
  private String serverDeployment;

  /** Builds everything; throws IllegalArgumentException for a bad target. */
  public AgentWorker(AgentOptions options) {
    this.options = options;
    this.target =
        options.targetPid() == null ? Target.targetless() : Target.ofPid(options.targetPid());
    if (!target.isTargetless()) {
      Namespaces.probe(target.pid());
    }
    this.control =
        Vertx.builder()
            .with(new VertxOptions().setEventLoopPoolSize(2))
            .withTransport(Transport.EPOLL)
            .build();
    AgentCodecs.register(control);
    this.nsVertx = NamespacedVertx.forTarget(options.targetPid());
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "agent-fs-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.lifecycle =
        new Lifecycle(control, target, options.communicationTimeout(), options.idleTtl());
    IncomingSettings settings = IncomingSettings.fromSystemProperties();
    if (target.isTargetless()) {
      this.steal = null;
      this.mirror = null;
    } else {
      Path netns = Path.of("/proc", String.valueOf(target.pid()), "ns", "net");
      this.steal = StealVerticle.forTarget(incomingClients, nsVertx, netns, settings);
      this.mirror = MirrorVerticle.forTarget(incomingClients, target.pid(), settings);
    }
    this.server =
        new AgentServerVerticle(
            options.listenHost(),
            options.port(),
            lifecycle,
            incomingClients,
            options.version(),
            target.isTargetless(),
            options.secret());
  }

  /** Deploys the features, then the server; completes with the bound port. */
  public Future<Integer> start() {
    PathResolver paths = new PathResolver(target.root());
    List<io.vertx.core.Deployable> features = new ArrayList<>();
    features.add(new FilesVerticle(paths, pool));
    features.add(new OutgoingVerticle(nsVertx, paths));
    features.add(new DnsVerticle(new DnsResolver(paths), nsVertx));
    features.add(
        new EnvironmentVerticle(
            new EnvService(target.environ(), options.runtimeEnv()),
            new HostnameReader(target.pid()),
            pool));
    if (steal != null) {
      features.add(steal);
      features.add(mirror);
    }
    Future<Void> deployed = Future.succeededFuture();
    for (io.vertx.core.Deployable feature : features) {
      deployed =
          deployed.compose(
              v -> control.deployVerticle(feature).map(featureDeployments::add).mapEmpty());
    }
    return deployed
        .compose(v -> control.deployVerticle(server))
        .map(
            id -> {
              serverDeployment = id;
              log.info("agent listening on port {} for {}", server.port(), target.describe());
              if (options.secret() == null) {
                log.warn(
                    "{} is not set: any client that reaches port {} is served (every agent that"
                        + " mirrordj starts has one)",
                    dev.mirrordj.protocol.auth.SharedSecret.AGENT_VARIABLE,
                    server.port());
              }
              return server.port();
            });
  }

  public int port() {
    return server.port();
  }

  public String readyLine() {
    return READY_PREFIX + options.version();
  }

  public Future<AgentExit> exit() {
    return lifecycle.exit();
  }

  /** Ends the agent from outside (signal, guard gone). */
  public void stop(AgentExit.Reason reason, String detail) {
    if (lifecycle.exit().isComplete()) {
      return;
    }
    try {
      control.runOnContext(v -> lifecycle.end(reason, detail));
    } catch (RejectedExecutionException alreadyClosed) {
      // the agent is already down; the first reason stands
    }
  }

  /**
   * Says goodbye to every client (undeploying the server and its sessions), then stops the features
   * (the steal verticle removes its redirect rules), then both Vert.x instances.
   */
  @Override
  public void close() {
    try {
      AgentExit why =
          lifecycle.exit().isComplete() && lifecycle.exit().succeeded()
              ? lifecycle.exit().result()
              : null;
      // a guard that went away is a stop from outside too (its SIGTERM can close our stdin before
      // our own SIGTERM is handled); draining removes the rules first either way
      if (why != null
          && (why.reason() == AgentExit.Reason.SIGNAL
              || why.reason() == AgentExit.Reason.GUARD_GONE)
          && steal != null) {
        drainStolenRequests();
      }
      server.goodbyeReason(why == null ? "stopped" : why.detail());
      Promise<Void> down = Promise.promise();
      Future<Void> sessionsGone =
          serverDeployment == null ? Future.succeededFuture() : control.undeploy(serverDeployment);
      sessionsGone
          .recover(e -> Future.succeededFuture())
          .compose(v -> undeployFeatures())
          .onComplete(down);
      down.future().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      control.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      nsVertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("agent shutdown was not clean: {}", e.toString());
    } finally {
      // our redirect rules must not outlive us, even when undeploying timed out
      if (steal != null) {
        steal.closeEngine();
        mirror.closeHub();
      }
      pool.shutdownNow();
    }
  }

  /**
   * A termination signal is a graceful stop (a pod being deleted, a rollout): requests that the
   * stealing clients are answering right now finish before the clients are told goodbye, as a proxy
   * drains; new connections already go to the pod's app meanwhile.
   */
  private void drainStolenRequests() {
    try {
      int left = steal.drain(DRAIN_WINDOW);
      if (left > 0) {
        log.warn(
            "{} stolen requests still in flight after the {} s drain window; ending them",
            left,
            DRAIN_WINDOW.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("draining stolen requests failed: {}", e.toString());
    }
  }

  private Future<Void> undeployFeatures() {
    Future<Void> all = Future.succeededFuture();
    for (int i = featureDeployments.size() - 1; i >= 0; i--) {
      String id = featureDeployments.get(i);
      all = all.compose(v -> control.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return all;
  }
}
