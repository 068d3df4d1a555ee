package dev.mirrordj.protocol.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.ProtocolException;
import dev.mirrordj.protocol.WireWriter;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The subscribe message's filter tree is an optional tail: old filters encode as they always did.
 */
class SubscribeFilterEncodingTest {

  private static Buffer body(Incoming.Subscribe s) {
    WireWriter w = new WireWriter();
    s.encode(w);
    return w.buffer();
  }

  private static Incoming.Subscribe decode(Buffer body) {
    Incoming.register();
    return (Incoming.Subscribe) MessageCodec.decode(new Frame(Incoming.PORT_SUBSCRIBE, 1, body));
  }

  @Test
  void aHeaderOrPathFilterIsEncodedExactlyAsBeforeTheTree() {
    Incoming.Subscribe old = new Incoming.Subscribe(8080, 2, "^x-user: a$", "", true, false);
    Buffer expected =
        new WireWriter()
            .u16(8080)
            .u8(2)
            .string("^x-user: a$")
            .string("")
            .bool(true)
            .bool(false)
            .buffer();
    assertEquals(expected, body(old));
    Incoming.Subscribe back = decode(expected);
    assertEquals(old, back);
    assertEquals(null, back.filter());
    assertEquals(Incoming.Subscribe.DEFAULT_MAX_BODY_BYTES, back.maxBodyBytes());
  }

  @Test
  void aTreeWithLimitsRoundTrips() {
    FilterSpec tree =
        new FilterSpec.AnyOf(
            List.of(
                new FilterSpec.AllOf(
                    List.of(new FilterSpec.Method("POST"), new FilterSpec.Path("^/api"))),
                new FilterSpec.Header("^x-debug: 1$"),
                new FilterSpec.JsonBody("$.user.id", "^42$")));
    Incoming.Subscribe s =
        new Incoming.Subscribe(80, 2, "", "", false, true, tree, 4_000_000_000L, 250);
    assertEquals(s, decode(body(s)));
  }

  @Test
  void unknownKindsAndHostileNestingAreRejected() {
    Buffer unknown =
        new WireWriter()
            .u16(80)
            .u8(2)
            .string("")
            .string("")
            .bool(false)
            .bool(false)
            .u8(99)
            .buffer();
    assertThrows(ProtocolException.class, () -> decode(unknown));
    WireWriter deep = new WireWriter().u16(80).u8(2).string("").string("").bool(false).bool(false);
    for (int i = 0; i < 100; i++) {
      deep.u8(FilterSpec.ALL_OF).i32(1);
    }
    deep.u8(FilterSpec.METHOD).string("GET").i32(1).i32(1);
    assertThrows(ProtocolException.class, () -> decode(deep.buffer()));
  }
}
