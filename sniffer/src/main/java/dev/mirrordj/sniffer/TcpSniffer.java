package dev.mirrordj.sniffer;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live capture of the client-to-server streams of subscribed TCP ports in a network namespace.
 *
 * <p>One dedicated thread joins the namespace, opens the pcap handle (TPACKET_V3 blocks, large
 * buffer, kernel BPF filter on the subscribed destination ports), reads raw frames, decodes only
 * the headers and feeds the {@link TcpReassembler}. The filter starts as drop-all and is rebuilt on
 * the capture thread whenever {@link #setPorts} changes the subscription, because a pcap handle
 * must not be used from two threads at once.
 */
public final class TcpSniffer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TcpSniffer.class);
  private static final String DROP_ALL = "tcp dst port 0 and tcp src port 0";

  /**
   * Keeps only segments that matter to the client's stream: IPv6 (not inspected further),
   * SYN/FIN/RST, or IPv4 segments with payload. Pure ACKs, about half of the client's packets,
   * never reach user space, which halves the per-packet cost where loss comes from.
   */
  private static final String CARRIES_SOMETHING =
      "(ip6 or tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0"
          + " or (ip[2:2] - ((ip[0] & 0xf) << 2) - ((tcp[12] & 0xf0) >> 2)) != 0)";

  private final CaptureOptions options;
  private final TcpReassembler reassembler;
  private final Thread thread;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private volatile Set<Integer> ports = Set.of();
  private volatile String pendingFilter = DROP_ALL;
  private volatile boolean running = true;
  private volatile PcapHandle handle;
  private volatile CaptureStats stats =
      new CaptureStats(0, 0, 0, new ReassemblyStats(0, 0, 0, 0, 0, 0));

  private TcpSniffer(CaptureOptions options, StreamListener listener) {
    this.options = options;
    this.reassembler =
        new TcpReassembler(
            listener, options.maxBufferedPerFlow(), options.maxFlows(), options.holeTimeout());
    this.thread =
        NetNamespace.threadFactory(options.netns(), "mirrordj-sniffer").newThread(this::run);
  }

  /**
   * Starts capturing; returns once the handle is open.
   *
   * @throws SnifferException if the namespace, device or libpcap cannot be opened
   */
  public static TcpSniffer start(CaptureOptions options, StreamListener listener) {
    TcpSniffer sniffer = new TcpSniffer(options, listener);
    sniffer.thread.start();
    try {
      sniffer.started.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new SnifferException(
          "cannot capture on " + options.interfaceName() + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      sniffer.close();
      throw new SnifferException(
          "capture on " + options.interfaceName() + " did not start within 10 s", e);
    }
    return sniffer;
  }

  /** Follows exactly these destination ports from now on (empty: capture nothing). */
  public void setPorts(Set<Integer> newPorts) {
    Set<Integer> sorted = new TreeSet<>(newPorts);
    this.ports = Set.copyOf(sorted);
    this.pendingFilter =
        sorted.isEmpty()
            ? DROP_ALL
            : "("
                + String.join(" or ", sorted.stream().map(p -> "tcp dst port " + p).toList())
                + ") and "
                + CARRIES_SOMETHING;
    wake();
  }

  /**
   * Interrupts a blocking read so the capture thread applies a new filter or does housekeeping.
   * libpcap's immediate mode blocks in poll() until a packet arrives; pcap_breakloop wakes it.
   */
  private void wake() {
    PcapHandle h = handle;
    if (h != null && h.isOpen()) {
      try {
        h.breakLoop();
      } catch (NotOpenException ignored) {
        // closing anyway
      }
    }
  }

  public Set<Integer> ports() {
    return ports;
  }

  /** Latest loss accounting, refreshed by the capture thread at least every 200 ms. */
  public CaptureStats stats() {
    return stats;
  }

  private void run() {
    PcapHandle handle;
    try {
      handle =
          new PcapHandle.Builder(options.interfaceName())
              .snaplen(options.snaplen())
              .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
              // not immediate mode: immediate mode forces TPACKET_V2, whose ring has one
              // snaplen-sized slot per packet (32 MiB / 256 KiB = 128 packets before drops);
              // TPACKET_V3 packs packets into blocks handed over after at most 10 ms
              .timeoutMillis(10)
              .immediateMode(false)
              .bufferSize(options.bufferBytes())
              .build();
    } catch (PcapNativeException | RuntimeException e) {
      started.completeExceptionally(e);
      return;
    }
    this.handle = handle;
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mirrordj-sniffer-tick");
              t.setDaemon(true);
              return t;
            });
    // periodic wake-up so statistics and idle expiry progress while no packet arrives
    ticker.scheduleWithFixedDelay(this::wake, 200, 200, TimeUnit.MILLISECONDS);
    try {
      PacketDecoder decoder = new PacketDecoder(handle.getDlt().value());
      String applied = null;
      long lastHousekeeping = System.nanoTime();
      started.complete(null);
      log.info(
          "capturing on {} (link type {}, buffer {} bytes)",
          options.interfaceName(),
          handle.getDlt().value(),
          options.bufferBytes());
      while (running) {
        String wanted = pendingFilter;
        if (!wanted.equals(applied)) {
          handle.setFilter(wanted, BpfProgram.BpfCompileMode.OPTIMIZE);
          applied = wanted;
          log.debug("capture filter now: {}", wanted);
        }
        // dispatch, not pcap_next: libpcap checks a pending breakloop *after* taking a
        // packet from the ring, and pcap_next then returns nothing, silently losing that
        // packet; with dispatch the packet has reached our callback before the break
        boolean woken = false;
        try {
          handle.dispatch(
              -1,
              (RawPacketListener)
                  frame -> {
                    TcpSegment seg = decoder.decode(frame);
                    if (seg != null && ports.contains(seg.flow().destinationPort())) {
                      reassembler.accept(seg, System.nanoTime());
                    }
                  });
        } catch (InterruptedException breakLoop) {
          woken = true; // filter change, housekeeping tick or close
        }
        long now = System.nanoTime();
        if (now - lastHousekeeping > 100_000_000L || woken) {
          lastHousekeeping = now;
          reassembler.expireHoles(now);
          reassembler.expireIdle(now - options.idleTimeout().toNanos());
          refreshStats(handle);
        }
      }
      refreshStats(handle);
    } catch (PcapNativeException | NotOpenException | RuntimeException e) {
      started.completeExceptionally(e);
      log.error("capture on {} failed: {}", options.interfaceName(), e.toString());
    } finally {
      ticker.shutdownNow();
      reassembler.closeAll(StreamListener.CloseReason.STOPPED);
      handle.close();
    }
  }

  private void refreshStats(PcapHandle handle) throws PcapNativeException, NotOpenException {
    PcapStat s = handle.getStats();
    CaptureStats next =
        new CaptureStats(
            s.getNumPacketsReceived(),
            s.getNumPacketsDropped(),
            s.getNumPacketsDroppedByIf(),
            reassembler.stats());
    if (next.lossy() && !stats.lossy()) {
      log.warn("mirror capture is losing data: {}", next.describe());
    }
    stats = next;
  }

  /**
   * Stops capturing; every open stream is closed with {@link StreamListener.CloseReason#STOPPED}.
   */
  @Override
  public void close() {
    running = false;
    wake();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Capture could not be started or failed. */
  public static final class SnifferException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnifferException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
