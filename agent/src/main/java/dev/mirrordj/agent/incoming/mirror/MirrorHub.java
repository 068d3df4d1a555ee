package dev.mirrordj.agent.incoming.mirror;

import dev.mirrordj.sniffer.CaptureOptions;
import dev.mirrordj.sniffer.CaptureStats;
import dev.mirrordj.sniffer.FlowKey;
import dev.mirrordj.sniffer.StreamListener;
import dev.mirrordj.sniffer.TcpSniffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirror mode on the agent: one packet capture for the target, fanned out so that every client
 * subscribed to a port gets its own copy of each connection. The capture starts with the first
 * subscription and its kernel filter always covers exactly the subscribed ports. The pod is not
 * touched: its app answers as usual.
 */
public final class MirrorHub implements StreamListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MirrorHub.class);
  private static final AtomicLong IDS = new AtomicLong();

  private final CaptureOptions options;
  private final Map<Integer, CopyOnWriteArrayList<MirrorClient>> byPort = new ConcurrentHashMap<>();

  /** Capture-thread state: connection id and the clients told about each open flow. */
  private final Map<FlowKey, Flow> flows = new HashMap<>();

  private TcpSniffer sniffer;

  private record Flow(long id, List<MirrorClient> clients) {}

  public MirrorHub(CaptureOptions options) {
    this.options = options;
  }

  /** Mirrors the port to the client from now on. Blocking on the first call (opens the capture). */
  public synchronized void subscribe(MirrorClient client, int port) {
    if (sniffer == null) {
      sniffer = TcpSniffer.start(options, this);
    }
    byPort.computeIfAbsent(port, p -> new CopyOnWriteArrayList<>()).addIfAbsent(client);
    sniffer.setPorts(Set.copyOf(byPort.keySet()));
    log.info(
        "mirroring port {} to {} ({} port(s) captured on {})",
        port,
        client.id(),
        byPort.size(),
        options.interfaceName());
  }

  public synchronized void unsubscribe(MirrorClient client, int port) {
    List<MirrorClient> clients = byPort.get(port);
    if (clients == null) {
      return;
    }
    clients.remove(client);
    if (clients.isEmpty()) {
      byPort.remove(port);
    }
    if (sniffer != null) {
      sniffer.setPorts(Set.copyOf(byPort.keySet()));
    }
  }

  public synchronized void clientGone(MirrorClient client) {
    for (Integer port : List.copyOf(byPort.keySet())) {
      unsubscribe(client, port);
    }
  }

  /** The ports captured now, sorted. */
  public synchronized List<Integer> ports() {
    return byPort.keySet().stream().sorted().toList();
  }

  public String interfaceName() {
    return options.interfaceName();
  }

  /** Loss accounting of the capture, to report to users; null before the first subscription. */
  public synchronized CaptureStats stats() {
    return sniffer == null ? null : sniffer.stats();
  }

  @Override
  public void onOpen(FlowKey flow, boolean midStream) {
    List<MirrorClient> clients =
        List.copyOf(byPort.getOrDefault(flow.destinationPort(), new CopyOnWriteArrayList<>()));
    Flow f = new Flow(IDS.incrementAndGet(), clients);
    flows.put(flow, f);
    log.debug(
        "mirrored connection #{} {} to {} client(s){}",
        f.id(),
        flow,
        clients.size(),
        midStream ? " (mid-stream)" : "");
    for (MirrorClient c : clients) {
      c.connectionStarted(f.id(), flow, midStream);
    }
  }

  @Override
  public void onData(FlowKey flow, byte[] data) {
    Flow f = flows.get(flow);
    if (f != null) {
      for (MirrorClient c : f.clients()) {
        c.data(f.id(), data);
      }
    }
  }

  @Override
  public void onGap(FlowKey flow, long missingBytes) {
    Flow f = flows.get(flow);
    if (f != null) {
      log.warn(
          "mirrored connection {} lost {} bytes (capture could not keep up)", flow, missingBytes);
      for (MirrorClient c : f.clients()) {
        c.lost(f.id(), missingBytes);
      }
    }
  }

  @Override
  public void onClose(FlowKey flow, CloseReason reason) {
    Flow f = flows.remove(flow);
    if (f != null) {
      for (MirrorClient c : f.clients()) {
        c.connectionEnded(f.id());
      }
    }
  }

  @Override
  public synchronized void close() {
    if (sniffer != null) {
      log.info("mirror capture stopping: {}", sniffer.stats().describe());
      sniffer.close();
      sniffer = null;
    }
    byPort.clear();
  }
}
