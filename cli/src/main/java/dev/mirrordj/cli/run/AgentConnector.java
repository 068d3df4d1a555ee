package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.config.MirrordConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Opens the session's agent connection (connect_tcp, a local agent for pid/ targets, Kubernetes).
 * Called on the {@link AgentLinkVerticle}'s event loop: it must not block it (blocking steps run
 * with {@code executeBlocking}). A failure is a {@link RunFailure} with the reason for the user.
 */
public interface AgentConnector {
  Future<AgentLink> connect(Vertx vertx, MirrordConfig config, Progress progress);
}
