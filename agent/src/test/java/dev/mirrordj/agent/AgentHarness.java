package dev.mirrordj.agent;

import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts in-process agents on loopback and clients for them; closes everything it started. */
final class AgentHarness implements AutoCloseable {
  final Vertx clientVertx = Vertx.vertx();
  private final List<AgentWorker> workers = new ArrayList<>();
  private final List<AgentClient> clients = new ArrayList<>();

  AgentWorker start(Long pid, Duration commTimeout, Duration idleTtl) {
    return start(new AgentOptions("127.0.0.1", 0, commTimeout, idleTtl, pid, "test"));
  }

  AgentWorker start(AgentOptions options) {
    AgentWorker w = new AgentWorker(options);
    workers.add(w);
    w.start().await();
    return w;
  }

  AgentClient connect(AgentWorker w) {
    AgentClient c =
        AgentClient.connect(
                clientVertx,
                "127.0.0.1",
                w.port(),
                new AgentClientOptions()
                    .clientName("test")
                    .heartbeatInterval(Duration.ofSeconds(2))
                    .heartbeatTimeout(Duration.ofSeconds(10)))
            .await();
    clients.add(c);
    return c;
  }

  @Override
  public void close() {
    for (AgentClient c : clients) {
      c.close();
    }
    for (AgentWorker w : workers) {
      w.close();
    }
    clientVertx.close().await();
  }
}
