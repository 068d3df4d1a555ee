package dev.mirrordj.sniffer;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembly state of one client-to-server stream.
 *
 * <p>Sequence numbers are 32-bit and wrap; every comparison is done on the signed 32-bit difference
 * to {@code nextSeq}, and buffered segments are keyed by their absolute 64-bit stream offset so
 * ordering survives a wrap. Segments that start before {@code nextSeq} are retransmissions or
 * overlaps and are trimmed; segments after it wait in a bounded buffer.
 */
final class FlowState {

  final FlowKey key;
  private long nextSeq; // unsigned 32-bit: the next byte we expect
  private long delivered; // absolute stream offset of nextSeq
  private final TreeMap<Long, byte[]> pending = new TreeMap<>();
  private long pendingBytes;
  private long finOffset = -1; // absolute offset of the FIN, once seen
  long lastSeenNanos;
  long holeSinceNanos = -1; // when data first waited behind the current hole; -1: no hole

  FlowState(FlowKey key, long firstSeq, long nowNanos) {
    this.key = key;
    this.nextSeq = firstSeq & 0xffffffffL;
    this.lastSeenNanos = nowNanos;
  }

  static int seqDiff(long a, long b) {
    return (int) (a - b);
  }

  long pendingBytes() {
    return pendingBytes;
  }

  long delivered() {
    return delivered;
  }

  /** Adds a segment's data and FIN; returns the in-order chunks that became deliverable. */
  void accept(TcpSegment seg, Sink sink) {
    int diff = seqDiff(seg.seq(), nextSeq);
    byte[] data = seg.payload();
    if (seg.has(TcpSegment.FIN)) {
      long fin = delivered + diff + data.length;
      if (finOffset < 0 || fin < finOffset) {
        finOffset = fin;
      }
    }
    if (data.length > 0) {
      long offset = delivered + diff;
      if (offset + data.length <= delivered) {
        sink.duplicate(data.length);
      } else {
        if (offset < delivered) {
          int skip = (int) (delivered - offset);
          sink.duplicate(skip);
          data = java.util.Arrays.copyOfRange(data, skip, data.length);
          offset = delivered;
        }
        insert(offset, data, sink);
      }
    }
    drain(sink);
  }

  private void insert(long offset, byte[] data, Sink sink) {
    byte[] existing = pending.get(offset);
    if (existing != null) {
      if (existing.length >= data.length) {
        sink.duplicate(data.length);
        return;
      }
      pendingBytes -= existing.length;
      sink.duplicate(existing.length);
    }
    pending.put(offset, data);
    pendingBytes += data.length;
  }

  /** Delivers every chunk that is now contiguous with what was already delivered. */
  private void drain(Sink sink) {
    while (!pending.isEmpty()) {
      Map.Entry<Long, byte[]> first = pending.firstEntry();
      long offset = first.getKey();
      if (offset > delivered) {
        return;
      }
      pending.pollFirstEntry();
      byte[] data = first.getValue();
      pendingBytes -= data.length;
      long end = offset + data.length;
      if (end <= delivered) {
        sink.duplicate(data.length);
        continue;
      }
      int skip = (int) (delivered - offset);
      if (skip > 0) {
        sink.duplicate(skip);
        data = java.util.Arrays.copyOfRange(data, skip, data.length);
      }
      advance(data.length);
      sink.data(data);
    }
  }

  private void advance(long n) {
    delivered += n;
    nextSeq = (nextSeq + n) & 0xffffffffL;
  }

  /**
   * Gives up waiting for the first hole: skips to the earliest buffered segment, reporting the
   * skipped bytes as lost. Used when the buffer limit is hit and when the flow ends.
   *
   * @return false if nothing was buffered
   */
  boolean skipGap(Sink sink) {
    if (pending.isEmpty()) {
      return false;
    }
    long missing = pending.firstKey() - delivered;
    if (missing > 0) {
      advance(missing);
      sink.gap(missing);
    }
    drain(sink);
    return true;
  }

  /** True once every byte up to the FIN has been delivered. */
  boolean finished() {
    return finOffset >= 0 && delivered >= finOffset;
  }

  /** Notes when a hole opened (data is waiting behind it) or closed. */
  void trackHole(long nowNanos) {
    if (pending.isEmpty()) {
      holeSinceNanos = -1;
    } else if (holeSinceNanos < 0) {
      holeSinceNanos = nowNanos;
    }
  }

  /** Receives the results of reassembly steps. */
  interface Sink {
    void data(byte[] data);

    void gap(long missingBytes);

    void duplicate(long bytes);
  }
}
