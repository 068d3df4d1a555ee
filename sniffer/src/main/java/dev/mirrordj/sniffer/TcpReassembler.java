package dev.mirrordj.sniffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns captured client-to-server TCP segments into ordered byte streams per connection.
 *
 * <p>Handles reordering, retransmission and overlap (trimmed, counted as duplicates), sequence
 * number wrap-around, SYN (new stream), FIN (end after the last byte) and RST (end now). Buffering
 * is bounded per flow: when a hole stays open past {@code maxBufferedPerFlow} bytes the hole is
 * skipped and reported as a gap, so memory stays bounded and loss is visible. A hole is also
 * skipped once it has been open longer than the hole timeout: a segment the capture dropped is
 * never retransmitted to us (the server received it), so waiting longer than a retransmission would
 * take only delays the rest of the stream. Not thread-safe: one capture thread feeds it.
 */
public final class TcpReassembler {

  private final StreamListener listener;
  private final int maxBufferedPerFlow;
  private final int maxFlows;
  private final long holeTimeoutNanos;
  private final Map<FlowKey, FlowState> flows = new HashMap<>();
  private long flowsOpened;
  private long midStreamFlows;
  private long deliveredBytes;
  private long gapBytes;
  private long duplicateBytes;
  private long evictedFlows;

  public TcpReassembler(StreamListener listener, int maxBufferedPerFlow, int maxFlows) {
    this(listener, maxBufferedPerFlow, maxFlows, java.time.Duration.ofMillis(500));
  }

  /**
   * @param holeTimeout how long buffered data may wait for a missing segment before it is skipped
   */
  public TcpReassembler(
      StreamListener listener,
      int maxBufferedPerFlow,
      int maxFlows,
      java.time.Duration holeTimeout) {
    if (maxBufferedPerFlow <= 0 || maxFlows <= 0) {
      throw new IllegalArgumentException("maxBufferedPerFlow and maxFlows must be positive");
    }
    this.listener = listener;
    this.maxBufferedPerFlow = maxBufferedPerFlow;
    this.maxFlows = maxFlows;
    this.holeTimeoutNanos = holeTimeout.toNanos();
  }

  /** Feeds one segment seen at {@code nowNanos} (any monotonic clock). */
  public void accept(TcpSegment seg, long nowNanos) {
    FlowKey key = seg.flow();
    FlowState state = flows.get(key);
    if (seg.isClientSyn()) {
      long isnNext = (seg.seq() + 1) & 0xffffffffL;
      if (state != null && state.delivered() == 0 && state.pendingBytes() == 0) {
        return; // retransmitted SYN of a connection we already follow
      }
      if (state != null) {
        close(state, StreamListener.CloseReason.RESET); // port reuse: the old connection is gone
      }
      state = open(key, isnNext, false, nowNanos);
      if (seg.payload().length == 0 && !seg.has(TcpSegment.FIN)) {
        return;
      }
      seg = new TcpSegment(key, isnNext, seg.flags() & ~TcpSegment.SYN, seg.payload());
    }
    if (state == null) {
      if (seg.has(TcpSegment.RST) || seg.payload().length == 0) {
        return; // nothing to follow: a bare ACK, FIN or RST of a connection we never saw
      }
      state = open(key, seg.seq(), true, nowNanos);
    }
    state.lastSeenNanos = nowNanos;
    if (seg.has(TcpSegment.RST)) {
      while (state.skipGap(sinkFor(state))) {
        // deliver what was buffered, reporting holes, before the connection goes
      }
      close(state, StreamListener.CloseReason.RESET);
      return;
    }
    FlowState.Sink sink = sinkFor(state);
    state.accept(seg, sink);
    while (state.pendingBytes() > maxBufferedPerFlow) {
      state.skipGap(sink);
    }
    state.trackHole(nowNanos);
    if (state.finished()) {
      close(state, StreamListener.CloseReason.FIN);
    }
  }

  /**
   * Skips holes open longer than the hole timeout (reporting them as gaps) and closes flows whose
   * FIN is then reached. Call periodically from the capture thread.
   */
  public void expireHoles(long nowNanos) {
    List<FlowState> stuck = new ArrayList<>();
    for (FlowState s : flows.values()) {
      if (s.holeSinceNanos >= 0 && nowNanos - s.holeSinceNanos > holeTimeoutNanos) {
        stuck.add(s);
      }
    }
    for (FlowState s : stuck) {
      FlowState.Sink sink = sinkFor(s);
      s.skipGap(sink);
      s.holeSinceNanos = -1;
      s.trackHole(nowNanos);
      if (s.finished()) {
        close(s, StreamListener.CloseReason.FIN);
      }
    }
  }

  /** Ends flows not seen since {@code idleBeforeNanos}, flushing what they buffered. */
  public void expireIdle(long idleBeforeNanos) {
    List<FlowState> idle = new ArrayList<>();
    for (FlowState s : flows.values()) {
      if (s.lastSeenNanos < idleBeforeNanos) {
        idle.add(s);
      }
    }
    for (FlowState s : idle) {
      flushAndClose(s, StreamListener.CloseReason.IDLE);
    }
  }

  /** Ends every flow, e.g. when capture stops. */
  public void closeAll(StreamListener.CloseReason reason) {
    for (FlowState s : new ArrayList<>(flows.values())) {
      flushAndClose(s, reason);
    }
  }

  public int activeFlows() {
    return flows.size();
  }

  public ReassemblyStats stats() {
    return new ReassemblyStats(
        flowsOpened, midStreamFlows, deliveredBytes, gapBytes, duplicateBytes, evictedFlows);
  }

  private FlowState open(FlowKey key, long firstSeq, boolean midStream, long nowNanos) {
    if (flows.size() >= maxFlows) {
      evictOldest();
    }
    FlowState state = new FlowState(key, firstSeq, nowNanos);
    flows.put(key, state);
    flowsOpened++;
    if (midStream) {
      midStreamFlows++;
    }
    listener.onOpen(key, midStream);
    return state;
  }

  private void evictOldest() {
    FlowState oldest = null;
    for (Iterator<FlowState> it = flows.values().iterator(); it.hasNext(); ) {
      FlowState s = it.next();
      if (oldest == null || s.lastSeenNanos < oldest.lastSeenNanos) {
        oldest = s;
      }
    }
    if (oldest != null) {
      evictedFlows++;
      flushAndClose(oldest, StreamListener.CloseReason.EVICTED);
    }
  }

  private void flushAndClose(FlowState s, StreamListener.CloseReason reason) {
    FlowState.Sink sink = sinkFor(s);
    while (s.skipGap(sink)) {
      // deliver buffered data, reporting the holes before it
    }
    close(s, reason);
  }

  private void close(FlowState s, StreamListener.CloseReason reason) {
    flows.remove(s.key);
    listener.onClose(s.key, reason);
  }

  private FlowState.Sink sinkFor(FlowState s) {
    return new FlowState.Sink() {
      @Override
      public void data(byte[] data) {
        deliveredBytes += data.length;
        listener.onData(s.key, data);
      }

      @Override
      public void gap(long missingBytes) {
        gapBytes += missingBytes;
        listener.onGap(s.key, missingBytes);
      }

      @Override
      public void duplicate(long bytes) {
        duplicateBytes += bytes;
      }
    };
  }
}
