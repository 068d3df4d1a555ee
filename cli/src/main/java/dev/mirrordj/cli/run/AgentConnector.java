package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.config.MirrordConfig;
import io.vertx.core.Vertx;

/**
 * Opens the session's agent connection (connect_tcp, a local agent for pid/ targets, Kubernetes).
 */
public interface AgentConnector {
  AgentLink connect(Vertx vertx, MirrordConfig config, Progress progress) throws Exception;
}
