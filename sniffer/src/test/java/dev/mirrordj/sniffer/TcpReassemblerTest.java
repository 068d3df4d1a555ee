package dev.mirrordj.sniffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TcpReassemblerTest {

  private static final FlowKey FLOW = flow(40000);
  private final RecordingListener listener = new RecordingListener();
  private final TcpReassembler reassembler = new TcpReassembler(listener, 64, 4);

  private static FlowKey flow(int sourcePort) {
    try {
      return new FlowKey(
          InetAddress.getByName("10.0.0.1"), sourcePort, InetAddress.getByName("10.0.0.2"), 80);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private void syn(FlowKey f, long isn) {
    reassembler.accept(new TcpSegment(f, isn, TcpSegment.SYN, new byte[0]), 0);
  }

  private void data(FlowKey f, long seq, String text) {
    reassembler.accept(
        new TcpSegment(
            f,
            seq & 0xffffffffL,
            TcpSegment.ACK | TcpSegment.PSH,
            text.getBytes(StandardCharsets.ISO_8859_1)),
        0);
  }

  private void fin(FlowKey f, long seq) {
    reassembler.accept(
        new TcpSegment(f, seq & 0xffffffffL, TcpSegment.ACK | TcpSegment.FIN, new byte[0]), 0);
  }

  @Test
  void inOrderStreamIsDeliveredAndClosedAtFin() {
    syn(FLOW, 1000);
    data(FLOW, 1001, "GET / ");
    data(FLOW, 1007, "HTTP/1.1\r\n");
    fin(FLOW, 1017);
    assertEquals("GET / HTTP/1.1\r\n", listener.text(FLOW));
    assertEquals(StreamListener.CloseReason.FIN, listener.closed.get(FLOW));
    assertTrue(listener.midStream.isEmpty());
    assertFalse(reassembler.stats().lossy());
  }

  @Test
  void reorderedSegmentsAreDeliveredInSequenceOrder() {
    syn(FLOW, 1000);
    data(FLOW, 1011, "KLMNO");
    data(FLOW, 1006, "FGHIJ");
    assertEquals("", listener.text(FLOW));
    data(FLOW, 1001, "ABCDE");
    assertEquals("ABCDEFGHIJKLMNO", listener.text(FLOW));
    assertEquals(0, reassembler.stats().gapBytes());
  }

  @Test
  void retransmissionsAndOverlapsAreTrimmedNotRepeated() {
    syn(FLOW, 1000);
    data(FLOW, 1001, "ABCDE");
    data(FLOW, 1001, "ABCDE"); // exact retransmit
    data(FLOW, 1004, "DEFGH"); // overlaps 2 delivered bytes
    data(FLOW, 1012, "LMN"); // out of order
    data(FLOW, 1010, "JKLM"); // fills the hole, overlaps buffered data
    data(FLOW, 1009, "IJ");
    assertEquals("ABCDEFGHIJKLMN", listener.text(FLOW));
    assertTrue(reassembler.stats().duplicateBytes() >= 5 + 2 + 1);
    assertEquals(0, reassembler.stats().gapBytes());
  }

  @Test
  void sequenceNumbersWrapAround() {
    long isn = 0xfffffffaL; // data starts 5 bytes before the wrap
    syn(FLOW, isn);
    data(FLOW, isn + 1 + 8, "IJKL"); // after the wrap, arrives first
    data(FLOW, isn + 1, "ABCDEFGH"); // straddles the wrap
    fin(FLOW, isn + 1 + 12);
    assertEquals("ABCDEFGHIJKL", listener.text(FLOW));
    assertEquals(StreamListener.CloseReason.FIN, listener.closed.get(FLOW));
  }

  @Test
  void aHoleThatNeverFillsIsSkippedAndReportedWhenTheBufferIsFull() {
    syn(FLOW, 0);
    data(FLOW, 1, "AAAA");
    // 10 bytes missing at offset 4, then more than the 64-byte buffer of later data
    long seq = 1 + 4 + 10;
    StringBuilder later = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      String chunk = "0123456789".substring(0, 10);
      data(FLOW, seq, chunk);
      later.append(chunk);
      seq += 10;
    }
    assertEquals(10L, listener.gaps.get(FLOW));
    assertEquals("AAAA" + later, listener.text(FLOW));
    assertTrue(reassembler.stats().lossy());
  }

  @Test
  void resetEndsTheStreamAfterFlushingBufferedDataWithItsGap() {
    syn(FLOW, 0);
    data(FLOW, 1, "AB");
    data(FLOW, 6, "FG");
    reassembler.accept(new TcpSegment(FLOW, 8, TcpSegment.RST, new byte[0]), 0);
    assertEquals("ABFG", listener.text(FLOW));
    assertEquals(3L, listener.gaps.get(FLOW));
    assertEquals(StreamListener.CloseReason.RESET, listener.closed.get(FLOW));
    assertEquals(0, reassembler.activeFlows());
  }

  @Test
  void finBeforeMissingDataWaitsForTheData() {
    syn(FLOW, 0);
    fin(FLOW, 5);
    data(FLOW, 3, "CD");
    assertNull(listener.closed.get(FLOW));
    data(FLOW, 1, "AB");
    assertEquals("ABCD", listener.text(FLOW));
    assertEquals(StreamListener.CloseReason.FIN, listener.closed.get(FLOW));
  }

  @Test
  void aStreamFirstSeenMidConnectionIsMarked() {
    data(FLOW, 5000, "tail of a request");
    assertEquals(1, listener.midStream.size());
    assertEquals("tail of a request", listener.text(FLOW));
    assertEquals(1, reassembler.stats().midStreamFlows());
  }

  @Test
  void bareAcksAndResetsOfUnknownFlowsAreIgnored() {
    reassembler.accept(new TcpSegment(FLOW, 7, TcpSegment.ACK, new byte[0]), 0);
    reassembler.accept(new TcpSegment(FLOW, 7, TcpSegment.RST, new byte[0]), 0);
    assertTrue(listener.opened.isEmpty());
  }

  @Test
  void retransmittedSynDoesNotRestartAndNewSynReplacesOldConnection() {
    syn(FLOW, 100);
    syn(FLOW, 100);
    assertEquals(1, listener.opened.size());
    data(FLOW, 101, "old");
    syn(FLOW, 9000); // the client reused the port for a new connection
    data(FLOW, 9001, "new");
    assertEquals(2, listener.opened.size());
    assertEquals(StreamListener.CloseReason.RESET, listener.closed.get(FLOW));
  }

  @Test
  void flowTableIsBoundedAndEvictionIsCountedAsLoss() {
    for (int i = 0; i < 5; i++) {
      FlowKey f = flow(50000 + i);
      reassembler.accept(new TcpSegment(f, 0, TcpSegment.SYN, new byte[0]), i);
    }
    assertEquals(4, reassembler.activeFlows());
    assertEquals(1, reassembler.stats().evictedFlows());
    assertEquals(StreamListener.CloseReason.EVICTED, listener.closed.get(flow(50000)));
  }

  @Test
  void idleFlowsExpire() {
    reassembler.accept(new TcpSegment(FLOW, 0, TcpSegment.SYN, new byte[0]), 10);
    reassembler.expireIdle(5);
    assertEquals(1, reassembler.activeFlows());
    reassembler.expireIdle(11);
    assertEquals(StreamListener.CloseReason.IDLE, listener.closed.get(FLOW));
  }

  @Test
  void aHoleLeftByACaptureDropIsSkippedAfterTheHoleTimeoutAndTheFinThenCloses() {
    TcpReassembler r = new TcpReassembler(listener, 1 << 20, 4, java.time.Duration.ofMillis(100));
    r.accept(new TcpSegment(FLOW, 0, TcpSegment.SYN, new byte[0]), 0);
    r.accept(
        new TcpSegment(FLOW, 1, TcpSegment.ACK, "AB".getBytes(StandardCharsets.ISO_8859_1)), 0);
    // "CD" was dropped by the capture; "EF" and the FIN arrive
    r.accept(
        new TcpSegment(
            FLOW, 5, TcpSegment.ACK | TcpSegment.FIN, "EF".getBytes(StandardCharsets.ISO_8859_1)),
        10_000_000L);
    r.expireHoles(50_000_000L);
    assertEquals("AB", listener.text(FLOW));
    r.expireHoles(200_000_000L);
    assertEquals("ABEF", listener.text(FLOW));
    assertEquals(2L, listener.gaps.get(FLOW));
    assertEquals(StreamListener.CloseReason.FIN, listener.closed.get(FLOW));
  }
}
