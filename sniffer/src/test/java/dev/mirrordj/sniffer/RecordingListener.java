package dev.mirrordj.sniffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test listener that records every stream's bytes, gaps and close reason. */
final class RecordingListener implements StreamListener {

  final Map<FlowKey, ByteArrayOutputStream> data = new LinkedHashMap<>();
  final Map<FlowKey, Long> gaps = new LinkedHashMap<>();
  final Map<FlowKey, CloseReason> closed = new LinkedHashMap<>();
  final List<FlowKey> opened = new ArrayList<>();
  final List<FlowKey> midStream = new ArrayList<>();

  @Override
  public synchronized void onOpen(FlowKey flow, boolean mid) {
    opened.add(flow);
    if (mid) {
      midStream.add(flow);
    }
    data.putIfAbsent(flow, new ByteArrayOutputStream());
  }

  @Override
  public synchronized void onData(FlowKey flow, byte[] bytes) {
    data.computeIfAbsent(flow, k -> new ByteArrayOutputStream()).writeBytes(bytes);
  }

  @Override
  public synchronized void onGap(FlowKey flow, long missingBytes) {
    gaps.merge(flow, missingBytes, Long::sum);
  }

  @Override
  public synchronized void onClose(FlowKey flow, CloseReason reason) {
    closed.put(flow, reason);
  }

  synchronized String text(FlowKey flow) {
    ByteArrayOutputStream out = data.get(flow);
    return out == null ? null : out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
