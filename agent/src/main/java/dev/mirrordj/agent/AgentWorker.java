package dev.mirrordj.agent;

import dev.mirrordj.agent.ns.NamespacedVertx;
import dev.mirrordj.agent.session.AgentContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent proper: two Vert.x instances (control in the agent's namespace, one joined to the
 * target's network namespace), the listener, and the lifecycle that decides when it all ends.
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
  private final AgentServer server;
  private int port;

  /** Builds everything; throws IllegalArgumentException for a bad target. */
  public AgentWorker(AgentOptions options) {
    this.options = options;
    this.target =
        options.targetPid() == null ? Target.targetless() : Target.ofPid(options.targetPid());
    if (!target.isTargetless()) {
      dev.mirrordj.agent.ns.Namespaces.probe(target.pid());
    }
    this.control =
        Vertx.builder()
            .with(new VertxOptions().setEventLoopPoolSize(2))
            .withTransport(Transport.EPOLL)
            .build();
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
    this.server =
        new AgentServer(
            control,
            AgentContext.of(target, nsVertx, pool, options.version(), options.runtimeEnv()),
            lifecycle);
  }

  /** Starts listening; completes with the bound port once connections are accepted. */
  public Future<Integer> start() {
    var ctx = control.getOrCreateContext();
    io.vertx.core.Promise<Integer> p = io.vertx.core.Promise.promise();
    ctx.runOnContext(v -> server.listen(options.listenHost(), options.port()).onComplete(p));
    return p.future()
        .onSuccess(
            bound -> {
              port = bound;
              log.info("agent listening on port {} for {}", bound, target.describe());
            });
  }

  public int port() {
    return port;
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
    } catch (java.util.concurrent.RejectedExecutionException alreadyClosed) {
      // the agent is already down; the first reason stands
    }
  }

  @Override
  public void close() {
    try {
      AgentExit why =
          lifecycle.exit().isComplete() && lifecycle.exit().succeeded()
              ? lifecycle.exit().result()
              : null;
      io.vertx.core.Promise<Void> goodbyes = io.vertx.core.Promise.promise();
      control.runOnContext(
          v -> server.close(why == null ? "stopped" : why.detail()).onComplete(goodbyes));
      goodbyes.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      control.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      nsVertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("agent shutdown was not clean: {}", e.toString());
    } finally {
      dev.mirrordj.agent.incoming.IncomingTraffic.closeCurrent(); // our redirect rules go first
      pool.shutdownNow();
    }
  }
}
