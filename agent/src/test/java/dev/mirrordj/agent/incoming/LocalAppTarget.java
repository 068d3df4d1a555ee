package dev.mirrordj.agent.incoming;

import dev.mirrordj.agent.incoming.steal.ConnectionInfo;
import dev.mirrordj.agent.incoming.steal.NetSocketUpstream;
import dev.mirrordj.agent.incoming.steal.StealTarget;
import dev.mirrordj.agent.incoming.steal.Upstream;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test stand-in for a stealing client's delivery: connects to a real local HTTP server (standing in
 * for the user's program) and records which connections it was given.
 */
final class LocalAppTarget implements StealTarget {

  private final NetClient client;
  private final int port;
  private final String name;
  final List<ConnectionInfo> opened = new CopyOnWriteArrayList<>();

  LocalAppTarget(NetClient client, int port, String name) {
    this.client = client;
    this.port = port;
    this.name = name;
  }

  @Override
  public Future<Upstream> open(ConnectionInfo connection) {
    opened.add(connection);
    return client
        .connect(port, "127.0.0.1")
        .map(
            s -> {
              s.pause();
              return (Upstream) new NetSocketUpstream(s);
            });
  }

  @Override
  public String describe() {
    return name;
  }
}
