package dev.mirrordj.agent.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.function.Supplier;

/**
 * One client connection as a verticle: deploying it starts the {@link Session} (attach to the
 * features, then read frames), undeploying it says goodbye to the client and releases everything
 * (the session publishes {@code CLIENT_GONE}). A session that ends by itself (client gone, protocol
 * error) undeploys its verticle.
 *
 * <p>The socket's handlers run on the context where the server accepted the connection, whatever
 * context a verticle deployed afterwards gets; so the session's work is run there, and this
 * verticle's own context only marks its deployment.
 */
public final class SessionVerticle extends VerticleBase {
  private final Session session;
  private final Context connection;
  private final Supplier<String> goodbye;

  /**
   * @param goodbye the reason the client is told when this verticle is undeployed first
   */
  public SessionVerticle(Session session, Context connection, Supplier<String> goodbye) {
    this.session = session;
    this.connection = connection;
    this.goodbye = goodbye;
  }

  /** Null until deployed. */
  public String deploymentIdOrNull() {
    return context == null ? null : context.deploymentID();
  }

  public Session session() {
    return session;
  }

  @Override
  public Future<?> start() {
    Promise<Void> started = Promise.promise();
    // a session that fails to start has told its client why and ended: the deployment still stands
    // until the session's end undeploys it, so there is exactly one way out
    connection.runOnContext(v -> session.start().otherwiseEmpty().onComplete(started));
    return started.future();
  }

  @Override
  public Future<?> stop() {
    Promise<Void> stopped = Promise.promise();
    connection.runOnContext(
        v -> {
          if (!session.isClosed()) {
            session.fail("agent shutting down: " + goodbye.get());
          }
          stopped.complete();
        });
    return stopped.future();
  }
}
