package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.ProgressMode;
import dev.mirrordj.cli.progress.ProgressVerticle;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.config.ConfigRequest;
import dev.mirrordj.verticles.config.ConfigVerticle;
import dev.mirrordj.verticles.config.ResolvedConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;

/**
 * The first links of every session's deployment chain ({@code run}, {@code ext}, {@code
 * port-forward}): what the user sees, then the configuration; and the two ways the main thread
 * meets the chain.
 */
public final class SessionStart {
  private SessionStart() {}

  /**
   * Deploys the {@link ProgressVerticle} (root task {@code rootTask}) and the {@link
   * ConfigVerticle}, and asks for the resolved configuration.
   */
  public static Future<ResolvedConfig> configured(
      Vertx vertx,
      ProgressMode mode,
      String rootTask,
      ConfigRequest request,
      PrintStream out,
      PrintStream err) {
    EventBus bus = vertx.eventBus();
    return vertx
        .deployVerticle(new ProgressVerticle(mode, rootTask, out, err))
        // a worker: reading, templating and validating the configuration is blocking work
        .compose(
            id ->
                vertx.deployVerticle(
                    new ConfigVerticle(request),
                    new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)))
        .compose(id -> bus.<ResolvedConfig>request(Addresses.CONFIG_GET, null))
        .map(reply -> reply.body());
  }

  /** Completes once the progress verticle rendered every event sent before. */
  public static Future<Void> flush(EventBus bus) {
    return bus.request(Addresses.LOCAL_PROGRESS, new Messages.ProgressEvent.Flush())
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture()); // no progress verticle: nothing to wait for
  }

  /** The chain's outcome; its failure is rethrown as it is (a RunFailure, an invalid config). */
  public static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    }
  }
}
