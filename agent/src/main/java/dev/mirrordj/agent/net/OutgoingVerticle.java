package dev.mirrordj.agent.net;

import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentCodecs;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.fs.PathResolver;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outgoing feature: one {@link OutgoingService} per client (its connections and datagram
 * sockets, created in the target's namespace). A session attaches on {@link
 * AgentAddresses#LOCAL_OUTGOING_ATTACH} and relays the client's stream frames to its service
 * directly: the bytes stay on the sockets, never on the bus. On {@link AgentAddresses#CLIENT_GONE}
 * the client's connections are closed.
 */
public final class OutgoingVerticle extends VerticleBase {
  private final Vertx nsVertx;
  private final PathResolver paths;
  private final Map<String, OutgoingService> byClient = new HashMap<>();

  public OutgoingVerticle(Vertx nsVertx, PathResolver paths) {
    this.nsVertx = nsVertx;
    this.paths = paths;
  }

  @Override
  public Future<?> start() {
    AgentCodecs.register(vertx);
    var bus = vertx.eventBus();
    var attach =
        bus.<AgentMessages.Attach>consumer(
            AgentAddresses.LOCAL_OUTGOING_ATTACH,
            msg -> {
              AgentMessages.Attach a = msg.body();
              OutgoingService service = new OutgoingService(nsVertx, paths, a.sink(), a.label());
              OutgoingService previous = byClient.put(a.clientId(), service);
              if (previous != null) {
                previous.closeAll();
              }
              msg.reply(service);
            });
    var gone =
        bus.<AgentMessages.ClientGone>consumer(
            AgentAddresses.CLIENT_GONE,
            msg -> {
              OutgoingService service = byClient.remove(msg.body().clientId());
              if (service != null) {
                service.closeAll();
              }
            });
    return Future.all(attach.completion(), gone.completion());
  }

  /** Clients with an outgoing service (for tests and diagnostics). */
  public int clients() {
    return byClient.size();
  }

  @Override
  public Future<?> stop() {
    List.copyOf(byClient.values()).forEach(OutgoingService::closeAll);
    byClient.clear();
    return Future.succeededFuture();
  }
}
