package dev.mirrordj.agent.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bus's message contract: cluster messages survive the wire, local ones refuse it. */
@ExtendWith(VertxExtension.class)
class AgentCodecsTest {

  private static final List<ClusterMessage> SAMPLES =
      List.of(
          new AgentMessages.Subscribe("session-1", 8080, "x-user: a", "^/api", true, false),
          new AgentMessages.Unsubscribe("session-1", 8080),
          new AgentMessages.ClientGone("session-3", "client disconnected"),
          new AgentMessages.RulesChanged(8443, true),
          new AgentMessages.CaptureChanged("eth0", List.of(80, 8080)));

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyClusterMessageRoundTripsThroughItsWireFormat() {
    for (ClusterMessage m : SAMPLES) {
      JsonRecordCodec codec =
          AgentCodecs.clusterCodecs().stream()
              .filter(c -> c.type() == m.getClass())
              .findFirst()
              .orElseThrow(() -> new AssertionError("no codec for " + m.getClass()));
      Buffer wire = Buffer.buffer().appendString("prefix");
      codec.encodeToWire(wire, m);
      assertEquals(m, codec.decodeFromWire("prefix".length(), wire), codec.name());
    }
  }

  @Test
  void localMessagesRefuseTheWire() {
    LocalCodec<AgentMessages.Attach> codec = new LocalCodec<>(AgentMessages.Attach.class);
    var attach = new AgentMessages.Attach("session-1", "session 1", new RecordingSink());
    UnsupportedOperationException e =
        assertThrows(
            UnsupportedOperationException.class, () -> codec.encodeToWire(Buffer.buffer(), attach));
    assertEquals("Attach is local to the agent worker and cannot cross processes", e.getMessage());
    assertEquals("local.mirrordj.agent.Attach", codec.name());
  }

  @Test
  void registeringTwiceIsHarmlessAndMessagesTravel(Vertx vertx, VertxTestContext ctx) {
    AgentCodecs.register(vertx);
    AgentCodecs.register(vertx);
    var gone = new AgentMessages.ClientGone("session-9", "test");
    vertx
        .eventBus()
        .<AgentMessages.ClientGone>consumer(
            AgentAddresses.CLIENT_GONE,
            m ->
                ctx.verify(
                    () -> {
                      assertEquals(gone, m.body());
                      ctx.completeNow();
                    }))
        .completion()
        .onSuccess(v -> vertx.eventBus().publish(AgentAddresses.CLIENT_GONE, gone));
  }
}
