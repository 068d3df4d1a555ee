package dev.mirrordj.protocol.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.WireWriter;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** IN_CLOSE's reset flag is an optional tail: a plain close is encoded exactly as before it. */
class CloseResetEncodingTest {

  private static Buffer body(Incoming.Close c) {
    WireWriter w = new WireWriter();
    c.encode(w);
    return w.buffer();
  }

  private static Incoming.Close decode(Buffer body) {
    return (Incoming.Close) MessageCodec.decode(new Frame(Incoming.IN_CLOSE, 0, body));
  }

  @Test
  void aPlainCloseIsTheConnectionIdAloneAndDecodesAsNoReset() {
    Buffer plain = body(new Incoming.Close(42));
    assertEquals(new WireWriter().i64(42).buffer(), plain);
    assertFalse(decode(plain).reset());
  }

  @Test
  void aResetTravelsAndComesBack() {
    Incoming.Close back = decode(body(new Incoming.Close(7, true)));
    assertEquals(7, back.connId());
    assertTrue(back.reset());
  }
}
