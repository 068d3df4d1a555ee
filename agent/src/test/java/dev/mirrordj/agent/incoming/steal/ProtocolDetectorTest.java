package dev.mirrordj.agent.incoming.steal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mirrordj.agent.incoming.steal.ProtocolDetector.Protocol;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtocolDetectorTest {

  private static Protocol detect(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return ProtocolDetector.detect(b, b.length);
  }

  @Test
  void recognisesHttp1H2cAndRaw() {
    assertEquals(Protocol.HTTP1, detect("GET / HTTP/1.1\r\n"));
    assertEquals(Protocol.HTTP1, detect("DELETE "));
    assertEquals(Protocol.UNDECIDED, detect("PO"));
    assertEquals(Protocol.UNDECIDED, detect("PRI * HTTP/2"));
    assertEquals(Protocol.H2C, detect("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    assertEquals(Protocol.RAW, detect("\u0016\u0003\u0001"));
    assertEquals(Protocol.RAW, detect("GETX"));
    assertEquals(Protocol.UNDECIDED, detect(""));
  }
}
