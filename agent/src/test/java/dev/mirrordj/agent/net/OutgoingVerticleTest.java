package dev.mirrordj.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentCodecs;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.bus.RecordingSink;
import dev.mirrordj.agent.fs.PathResolver;
import dev.mirrordj.protocol.Net;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The outgoing verticle alone: an attached session's connection reaches a real server, and when the
 * client is gone the verticle closes it (the server sees the close).
 */
@ExtendWith(VertxExtension.class)
class OutgoingVerticleTest {

  @Test
  void clientGoneClosesTheClientsConnections(Vertx vertx, VertxTestContext ctx) throws Exception {
    Checkpoint accepted = ctx.checkpoint();
    Checkpoint closedByAgent = ctx.checkpoint();
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                s -> {
                  accepted.flag();
                  s.closeHandler(v -> closedByAgent.flag());
                })
            .listen(0, "127.0.0.1")
            .await();
    OutgoingVerticle outgoing = new OutgoingVerticle(vertx, new PathResolver(Path.of("/")));
    vertx.deployVerticle(outgoing).await();
    AgentCodecs.register(vertx);
    RecordingSink sink = new RecordingSink();
    OutgoingService service =
        vertx
            .eventBus()
            .<OutgoingService>request(
                AgentAddresses.LOCAL_OUTGOING_ATTACH,
                new AgentMessages.Attach("session-1", "session 1", sink))
            .await()
            .body();
    service.connect(new Net.Connect(7, Net.KIND_TCP, "127.0.0.1", server.actualPort()), 1);
    Net.Connected connected = assertInstanceOf(Net.Connected.class, sink.next().message());
    assertEquals(7, connected.connId());
    assertEquals(1, outgoing.clients());

    vertx
        .eventBus()
        .publish(AgentAddresses.CLIENT_GONE, new AgentMessages.ClientGone("session-1", "test"));
    ctx.awaitCompletion(10, TimeUnit.SECONDS);
    assertEquals(0, outgoing.clients());
    if (ctx.failed()) {
      throw new AssertionError(ctx.causeOfFailure());
    }
  }
}
