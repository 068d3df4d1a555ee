package dev.mirrordj.e2e.bench;

import dev.mirrordj.protocol.Net;
import dev.mirrordj.protocol.client.OutgoingStream;
import io.vertx.core.buffer.Buffer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * B5 outgoing tunnel: bulk TCP throughput and 64-byte ping-pong latency to a cluster-only server, direct
 * from the pod's network namespace (P) vs through the agent (S: client on the host, agent socket in the pod).
 */
final class B5OutgoingTunnel {
    private static final int CHUNK = 64 * 1024;
    private static final long BULK_BYTES = 256L << 20;
    private static final int PINGS = 3000;
    private static final int WARMUP_PINGS = 500;
    private static final double MIB = 1 << 20;

    private final BenchEnv env;
    private final String server;

    B5OutgoingTunnel(BenchEnv env) {
        this.env = env;
        this.server = env.cluster.bridgeIp();
    }

    List<JsonLine> run(int rounds) throws IOException {
        try (SocatRelay sinkRelay = new SocatRelay(env.pod, server, BenchServers.SINK_PORT);
             SocatRelay echoRelay = new SocatRelay(env.pod, server, BenchServers.ECHO_PORT)) {
            return run(rounds, sinkRelay, echoRelay);
        }
    }

    private List<JsonLine> run(int rounds, SocatRelay sinkRelay, SocatRelay echoRelay) {
        directThroughput(32L << 20);
        tunnelThroughput(32L << 20); // warm-up both paths (JIT) before measuring
        relayThroughput(sinkRelay, 32L << 20);
        List<Double> r1Bulk = new ArrayList<>();
        Rounds bulk = Rounds.run(rounds, () -> directThroughput(BULK_BYTES), () -> {
            r1Bulk.add(relayThroughput(sinkRelay, BULK_BYTES));
            return tunnelThroughput(BULK_BYTES);
        });
        List<Double> r1P50 = new ArrayList<>();
        List<Double> addedP50 = new ArrayList<>();
        List<Double> addedP99 = new ArrayList<>();
        Rounds p50 = new Rounds();
        for (int i = 0; i < rounds; i++) {
            double[] p = directPingPong();
            r1P50.add(Stats.quantile(relayPingPong(echoRelay), 0.5));
            double[] s = tunnelPingPong();
            p50.p.add(Stats.quantile(p, 0.5));
            p50.s.add(Stats.quantile(s, 0.5));
            p50.ratios.add(Stats.quantile(s, 0.5) / Stats.quantile(p, 0.5));
            addedP50.add(Stats.quantile(s, 0.5) - Stats.quantile(p, 0.5));
            addedP99.add(Stats.quantile(s, 0.99) - Stats.quantile(p, 0.99));
        }
        List<Double> idleP99 = new ArrayList<>();
        List<Double> bulkP99 = new ArrayList<>();
        List<Double> hol = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            double idle = Stats.quantile(tunnelPingPong(), 0.99);
            double loaded = Stats.quantile(pingPongUnderBulk(), 0.99);
            idleP99.add(idle);
            bulkP99.add(loaded);
            hol.add(loaded / idle);
        }
        List<JsonLine> out = new ArrayList<>();
        out.add(bulk.into(new JsonLine("B5", "tcp-throughput-1-stream")).put("unit", "MiB/s").put("bytes", BULK_BYTES)
            .put("R1", Stats.round(Stats.median(r1Bulk), 3)).put("ratio_S_R1", Stats.round(Stats.median(bulk.s) / Stats.median(r1Bulk), 3))
            .put("gate_ratio_min", 0.30).put("gate_ratio_S_R1_min", 1.0));
        out.add(p50.into(new JsonLine("B5", "pingpong-64B-rtt-p50")).put("unit", "us")
            .put("added_p50_us", Stats.round(Stats.median(addedP50), 1))
            .put("added_p99_us", Stats.round(Stats.median(addedP99), 1))
            .put("R1", Stats.round(Stats.median(r1P50), 3))
            .put("pings_per_round", PINGS).put("gate_added_p50_us_max", 60));
        // head-of-line blocking: S's ping-pong p99 while a bulk stream shares the same agent connection, vs idle
        out.add(new JsonLine("B5", "pingpong-p99-under-bulk").put("unit", "us")
            .put("S_idle_p99", Stats.round(Stats.median(idleP99), 1)).put("S_bulk_p99", Stats.round(Stats.median(bulkP99), 1))
            .put("ratio_bulk_idle", Stats.round(Stats.median(hol), 3)).put("rounds", rounds)
            .put("spread", List.of(Stats.round(Stats.min(hol), 3), Stats.round(Stats.max(hol), 3))).put("gate_ratio_max", 3.0));
        return out;
    }

    /** MiB/s through the socat relay: a plain host socket to the relay's loopback port. */
    double relayThroughput(SocatRelay relay, long bytes) {
        try (Socket s = new Socket("127.0.0.1", relay.port())) {
            return streamToSink(s, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ping-pong RTTs through the socat relay to the echo server. */
    double[] relayPingPong(SocatRelay relay) {
        try (Socket s = new Socket("127.0.0.1", relay.port())) {
            return pingPong(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tunnel ping-pong while another tunnel stream of the same client pushes bulk data. */
    double[] pingPongUnderBulk() {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Double> bulk = CompletableFuture.supplyAsync(() -> tunnelThroughput(Long.MAX_VALUE / 2, stop::get));
        double[] rtt = tunnelPingPong();
        check(!bulk.isDone(), "the bulk stream ran during the whole ping-pong");
        stop.set(true);
        bulk.join();
        return rtt;
    }

    /** MiB/s from the first byte written in the pod to the sink's count reply. */
    double directThroughput(long bytes) {
        try (Socket s = env.pod.inNetns(() -> new Socket(server, BenchServers.SINK_PORT))) {
            return streamToSink(s, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double streamToSink(Socket s, long bytes) throws IOException {
        s.setTcpNoDelay(true);
        byte[] chunk = new byte[CHUNK];
        OutputStream out = s.getOutputStream();
        long t0 = System.nanoTime();
        for (long sent = 0; sent < bytes; sent += CHUNK) {
            out.write(chunk);
        }
        s.shutdownOutput();
        long count = new DataInputStream(s.getInputStream()).readLong();
        long t1 = System.nanoTime();
        check(count == bytes, "sink counted " + count + " of " + bytes);
        return bytes / MIB / ((t1 - t0) / 1e9);
    }

    /** The same through the agent: at most 16 chunks (1 MiB) queued on the client at any time. */
    double tunnelThroughput(long bytes) {
        return tunnelThroughput(bytes, () -> false);
    }

    /** Sends up to {@code bytes} (fewer if {@code stop} turns true), waits for the sink's count; returns MiB/s. */
    double tunnelThroughput(long bytes, java.util.function.BooleanSupplier stop) {
        OutgoingStream st = BenchEnv.await(env.client.connect(Net.KIND_TCP, server, BenchServers.SINK_PORT));
        Buffer reply = Buffer.buffer();
        CompletableFuture<Long> count = new CompletableFuture<>();
        st.handler(b -> {
            reply.appendBuffer(b);
            if (reply.length() >= 8) {
                count.complete(reply.getLong(0));
            }
        });
        st.closeHandler(errno -> count.completeExceptionally(new IllegalStateException("closed with errno " + errno)));
        Buffer chunk = Buffer.buffer(new byte[CHUNK]);
        Semaphore window = new Semaphore(16);
        long t0 = System.nanoTime();
        try {
            long sent = 0;
            while (sent < bytes && !stop.getAsBoolean()) {
                window.acquire();
                st.write(chunk).onComplete(ar -> window.release());
                sent += CHUNK;
            }
            bytes = sent;
            window.acquire(16);
            st.shutdown();
            long got = count.get(120, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            check(got == bytes, "sink counted " + got + " of " + bytes);
            st.close();
            return bytes / MIB / ((t1 - t0) / 1e9);
        } catch (Exception e) {
            throw new IllegalStateException("tunnel throughput failed: " + e, e);
        }
    }

    /** Round-trip times in microseconds of 64-byte exchanges, direct from the pod. */
    double[] directPingPong() {
        try (Socket s = env.pod.inNetns(() -> new Socket(server, BenchServers.ECHO_PORT))) {
            return pingPong(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] pingPong(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] msg = new byte[64];
        double[] rtt = new double[PINGS];
        for (int i = -WARMUP_PINGS; i < PINGS; i++) {
            long t0 = System.nanoTime();
            out.write(msg);
            in.readNBytes(64);
            if (i >= 0) {
                rtt[i] = (System.nanoTime() - t0) / 1e3;
            }
        }
        return rtt;
    }

    /** The same exchanges through the agent. */
    double[] tunnelPingPong() {
        OutgoingStream st = BenchEnv.await(env.client.connect(Net.KIND_TCP, server, BenchServers.ECHO_PORT));
        AtomicLong received = new AtomicLong();
        Object lock = new Object();
        st.handler(b -> {
            received.addAndGet(b.length());
            synchronized (lock) {
                lock.notifyAll();
            }
        });
        Buffer msg = Buffer.buffer(new byte[64]);
        double[] rtt = new double[PINGS];
        try {
            for (int i = -WARMUP_PINGS; i < PINGS; i++) {
                long expect = received.get() + 64;
                long t0 = System.nanoTime();
                st.write(msg);
                synchronized (lock) {
                    long deadline = System.currentTimeMillis() + 10_000;
                    while (received.get() < expect) {
                        long left = deadline - System.currentTimeMillis();
                        check(left > 0, "no echo within 10 s");
                        lock.wait(left);
                    }
                }
                if (i >= 0) {
                    rtt[i] = (System.nanoTime() - t0) / 1e3;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        st.close();
        return rtt;
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark result is wrong: " + what);
        }
    }
}
