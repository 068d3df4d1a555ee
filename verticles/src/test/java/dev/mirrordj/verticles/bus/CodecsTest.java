package dev.mirrordj.verticles.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.protocol.incoming.FilterSpec;
import dev.mirrordj.protocol.incoming.Incoming;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import io.vertx.core.buffer.Buffer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Messages that a clustered mode sends between processes survive the wire; local-only ones refuse
 * it; every address follows the naming rule that tells the two apart.
 */
class CodecsTest {

  private static <T extends Record> T roundTrip(Class<T> type, T value) {
    JsonRecordCodec<T> codec = new JsonRecordCodec<>(type);
    Buffer buffer = Buffer.buffer().appendString("xyz");
    codec.encodeToWire(buffer, value);
    return codec.decodeFromWire(3, buffer);
  }

  @Test
  void clusterReadyMessagesRoundTripAsJson() {
    var state = new Messages.AgentState(Messages.AgentState.State.LOST, "agent lost: closed");
    assertEquals(state, roundTrip(Messages.AgentState.class, state));
    var sub =
        Messages.IncomingSubscribe.of(
            new Incoming.Subscribe(80, 2, "x-user: me", "/api", false, true), "127.0.0.1", 8080);
    assertEquals(sub, roundTrip(Messages.IncomingSubscribe.class, sub));
    var tree =
        new FilterSpec.AllOf(
            List.of(
                new FilterSpec.Method("POST"),
                new FilterSpec.AnyOf(
                    List.of(
                        new FilterSpec.Header("x-user: me"),
                        new FilterSpec.JsonBody("$.user", "^me$")))));
    var wire = new Incoming.Subscribe(80, 2, "", "", false, false, tree, 4096, 250);
    var filtered = Messages.IncomingSubscribe.of(wire, "::1", 8081);
    var back = roundTrip(Messages.IncomingSubscribe.class, filtered);
    assertEquals(filtered, back);
    // the agent gets exactly what the configuration asked for: tree and body limits included
    assertEquals(wire, back.asProtocol());
    var unsub = new Messages.IncomingUnsubscribe(80);
    assertEquals(unsub, roundTrip(Messages.IncomingUnsubscribe.class, unsub));
    var env = new Messages.PodEnvironment(Map.of("A", "1", "B", "two"));
    assertEquals(env, roundTrip(Messages.PodEnvironment.class, env));
  }

  @Test
  void localOnlyMessagesRefuseTheWire() {
    LocalOnlyCodec<Messages.ProcessGone> codec = new LocalOnlyCodec<>(Messages.ProcessGone.class);
    var gone = new Messages.ProcessGone(12);
    assertEquals(gone, codec.transform(gone));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> codec.encodeToWire(Buffer.buffer(), gone));
    assertTrue(e.getMessage().contains("local-only"), e.getMessage());
  }

  @Test
  void localAddressesAreNamedSo() throws Exception {
    for (Field f : Addresses.class.getFields()) {
      if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class) continue;
      String address = (String) f.get(null);
      assertEquals(
          f.getName().startsWith("LOCAL_"),
          address.startsWith("mirrord.local."),
          f.getName() + " = " + address);
    }
  }
}
