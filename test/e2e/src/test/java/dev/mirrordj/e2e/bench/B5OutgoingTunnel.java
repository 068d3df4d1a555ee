package dev.mirrordj.e2e.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * B5 outgoing tunnel: bulk TCP throughput and 64-byte ping-pong latency to a cluster-only server,
 * direct from the pod's network namespace (P), through two socat hops (R1), and through the agent
 * (S: client on the host, agent socket in the pod); plus S's ping-pong tail while a bulk stream
 * shares the connection.
 */
final class B5OutgoingTunnel {
  private static final long BULK_BYTES = 256L << 20;
  private static final long WARMUP_BYTES = 32L << 20;

  private final BenchEnv env;
  private final String server;
  private final TunnelPaths tunnel;

  B5OutgoingTunnel(BenchEnv env) {
    this.env = env;
    this.server = env.cluster.bridgeIp();
    this.tunnel = new TunnelPaths(env.client, server);
  }

  List<JsonLine> run(int rounds) throws IOException {
    try (SocatRelay sinkRelay = new SocatRelay(env.pod, server, BenchServers.SINK_PORT);
        SocatRelay echoRelay = new SocatRelay(env.pod, server, BenchServers.ECHO_PORT)) {
      List<JsonLine> out = new ArrayList<>();
      out.add(throughput(rounds, sinkRelay));
      out.add(pingPong(rounds, echoRelay));
      out.add(headOfLine(rounds));
      return out;
    }
  }

  private JsonLine throughput(int rounds, SocatRelay relay) {
    direct(s -> SocketPaths.streamToSink(s, WARMUP_BYTES), BenchServers.SINK_PORT);
    tunnel.throughput(WARMUP_BYTES, () -> false); // warm-up (JIT) of both paths before measuring
    List<Double> r1 = new ArrayList<>();
    Rounds bulk =
        Rounds.run(
            rounds,
            () -> direct(s -> SocketPaths.streamToSink(s, BULK_BYTES), BenchServers.SINK_PORT),
            () -> {
              r1.add(relayed(relay, s -> SocketPaths.streamToSink(s, BULK_BYTES)));
              return tunnel.throughput(BULK_BYTES, () -> false);
            });
    return bulk.into(new JsonLine("B5", "tcp-throughput-1-stream"))
        .put("unit", "MiB/s")
        .put("bytes", BULK_BYTES)
        .put("R1", Stats.round(Stats.median(r1), 3))
        .put("ratio_S_R1", Stats.round(Stats.median(bulk.s) / Stats.median(r1), 3))
        .put("gate_ratio_min", 0.30)
        .put("gate_ratio_S_R1_min", 1.0);
  }

  private JsonLine pingPong(int rounds, SocatRelay relay) {
    List<Double> r1 = new ArrayList<>();
    List<Double> addedP50 = new ArrayList<>();
    List<Double> addedP99 = new ArrayList<>();
    Rounds p50 = new Rounds();
    for (int i = 0; i < rounds; i++) {
      double[] p = direct(SocketPaths::pingPong, BenchServers.ECHO_PORT);
      r1.add(Stats.quantile(relayed(relay, SocketPaths::pingPong), 0.5));
      double[] s = tunnel.pingPong();
      p50.p.add(Stats.quantile(p, 0.5));
      p50.s.add(Stats.quantile(s, 0.5));
      p50.ratios.add(Stats.quantile(s, 0.5) / Stats.quantile(p, 0.5));
      addedP50.add(Stats.quantile(s, 0.5) - Stats.quantile(p, 0.5));
      addedP99.add(Stats.quantile(s, 0.99) - Stats.quantile(p, 0.99));
    }
    return p50.into(new JsonLine("B5", "pingpong-64B-rtt-p50"))
        .put("unit", "us")
        .put("added_p50_us", Stats.round(Stats.median(addedP50), 1))
        .put("added_p99_us", Stats.round(Stats.median(addedP99), 1))
        .put("R1", Stats.round(Stats.median(r1), 3))
        .put("pings_per_round", SocketPaths.PINGS)
        .put("gate_added_p50_us_max", 60);
  }

  /**
   * S's ping-pong p99 while another stream of the same client pushes bulk data, vs idle
   * (head-of-line blocking).
   */
  private JsonLine headOfLine(int rounds) {
    List<Double> idleP99 = new ArrayList<>();
    List<Double> bulkP99 = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      double idle = Stats.quantile(tunnel.pingPong(), 0.99);
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Double> bulk =
          CompletableFuture.supplyAsync(() -> tunnel.throughput(Long.MAX_VALUE / 2, stop::get));
      double loaded = Stats.quantile(tunnel.pingPong(), 0.99);
      SocketPaths.check(!bulk.isDone(), "the bulk stream ran during the whole ping-pong");
      stop.set(true);
      bulk.join();
      idleP99.add(idle);
      bulkP99.add(loaded);
      ratio.add(loaded / idle);
    }
    return new JsonLine("B5", "pingpong-p99-under-bulk")
        .put("unit", "us")
        .put("S_idle_p99", Stats.round(Stats.median(idleP99), 1))
        .put("S_bulk_p99", Stats.round(Stats.median(bulkP99), 1))
        .put("ratio_bulk_idle", Stats.round(Stats.median(ratio), 3))
        .put("rounds", rounds)
        .put("spread", List.of(Stats.round(Stats.min(ratio), 3), Stats.round(Stats.max(ratio), 3)))
        .put("gate_ratio_max", 3.0);
  }

  private interface SocketWork<T> {
    T run(Socket s) throws IOException;
  }

  /** P: a socket created inside the pod's network namespace, straight to the server. */
  private <T> T direct(SocketWork<T> work, int port) {
    try (Socket s = env.pod.inNetns(() -> new Socket(server, port))) {
      return work.run(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** R1: a host socket to the socat relay's loopback port. */
  private static <T> T relayed(SocatRelay relay, SocketWork<T> work) {
    try (Socket s = new Socket("127.0.0.1", relay.port())) {
      return work.run(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
