package dev.mirrordj.e2e.bench;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Cluster, target pod, the real agent and one connected client: what every benchmark here runs on.
 */
final class BenchEnv implements AutoCloseable {
  final Cluster cluster;
  final Pod pod;
  final AgentProcess agent;
  final Vertx vertx = Vertx.vertx();
  final AgentClient client;
  final BenchServers servers;

  BenchEnv(Path fatJar, PodSpec spec) {
    cluster = Cluster.start(42);
    try {
      pod = cluster.addPod(spec);
      agent =
          AgentProcess.start(
              fatJar,
              Duration.ofSeconds(60),
              "--target-pid",
              Long.toString(pod.pid()),
              "--idle-ttl",
              "600",
              "--communication-timeout",
              "120");
      client =
          await(
              AgentClient.connect(
                  vertx, "127.0.0.1", agent.port(), new AgentClientOptions().clientName("bench")));
      servers = new BenchServers(cluster);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark step failed: " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      if (servers != null) {
        servers.close();
      }
    } catch (java.io.IOException ignored) {
      // closing listeners of a namespace that is about to go away
    }
    if (client != null) {
      client.close();
    }
    vertx.close();
    if (agent != null) {
      agent.close();
    }
    cluster.close();
  }
}
