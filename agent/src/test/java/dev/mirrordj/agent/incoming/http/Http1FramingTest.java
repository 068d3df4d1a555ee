package dev.mirrordj.agent.incoming.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http1FramingTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void requestHeadIsParsedAndKeptRaw() {
    byte[] raw =
        b("POST /a?b=1 HTTP/1.1\r\nHost: x\r\nX-User:  alice \r\nContent-Length: 5\r\n\r\nhello");
    int end = RequestHead.headEnd(raw, raw.length);
    RequestHead head = RequestHead.parse(raw, end);
    assertEquals("POST", head.method());
    assertEquals("/a?b=1", head.target());
    assertEquals("alice", head.header("x-user"));
    assertEquals(raw.length - 5, head.raw().length);
    BodyFraming body = head.bodyFraming();
    assertEquals(5, body.consume(raw, end, 5));
    assertTrue(body.done());
  }

  @Test
  void malformedRequestLineIsRejectedWithWhatWasExpected() {
    byte[] raw = b("HELLO\r\n\r\n");
    HttpParseException e =
        assertThrows(HttpParseException.class, () -> RequestHead.parse(raw, raw.length));
    assertTrue(e.getMessage().contains("METHOD target HTTP/1.x"), e.getMessage());
  }

  @Test
  void chunkedBodyEndsAfterTheLastChunkAndTrailersEvenWhenSplitAnywhere() {
    byte[] body = b("4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nTrailer: t\r\n\r\nNEXT");
    int expected = body.length - 4;
    for (int split = 1; split < expected; split++) {
      BodyFraming f = BodyFraming.of("chunked", null, false);
      int n = f.consume(body, 0, split);
      assertEquals(split, n);
      assertFalse(f.done());
      n += f.consume(body, split, body.length - split);
      assertEquals(expected, n, "split at " + split);
      assertTrue(f.done());
    }
  }

  @Test
  void requestWithoutLengthHasNoBodyAndBadLengthIsRejected() {
    assertTrue(BodyFraming.of(null, null, false).done());
    assertThrows(HttpParseException.class, () -> BodyFraming.of(null, "-1", false));
  }

  @Test
  void responseTrackerSkipsInterimResponsesAndStopsAtTheEnd() {
    byte[] r =
        b("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1");
    ResponseTracker t = new ResponseTracker(false);
    assertEquals(r.length - "HTTP/1.1".length(), t.consume(r, 0, r.length));
    assertTrue(t.complete());
    assertEquals(200, t.status());
  }

  @Test
  void headAnd204And304HaveNoBodyAnd101Switches() {
    byte[] head = b("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
    ResponseTracker t = new ResponseTracker(true);
    t.consume(head, 0, head.length);
    assertTrue(t.complete());
    byte[] up = b("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi");
    ResponseTracker u = new ResponseTracker(false);
    assertEquals(up.length - 4, u.consume(up, 0, up.length));
    assertTrue(u.switched());
  }

  @Test
  void chunkedResponseSplitByteByByte() {
    byte[] r = b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    ResponseTracker t = new ResponseTracker(false);
    for (int i = 0; i < r.length; i++) {
      assertFalse(t.complete());
      assertEquals(1, t.consume(r, i, 1));
    }
    assertTrue(t.complete());
  }
}
