package dev.mirrordj.agent.bench;

import dev.mirrordj.agent.AgentOptions;
import dev.mirrordj.agent.AgentWorker;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.Net;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.protocol.client.OutgoingStream;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent-level versions of B5 (outgoing tunnel) and B6 (remote file read): our path (AgentClient →
 * agent → loopback service or file) against the direct path in the same run, on loopback. The layer
 * and proxy are not in this path; it measures what the protocol and agent cost. Prints one JSON
 * line per measurement. Run with: {@code mvn -B -q -o -pl agent -am test
 * -Dtest=AgentTunnelBenchmark -Dmirrordj.bench=true -Dsurefire.failIfNoSpecifiedTests=false} and
 * read agent/target/surefire-reports/dev.mirrordj.agent.bench.AgentTunnelBenchmark-output.txt.
 */
@EnabledIfSystemProperty(named = "mirrordj.bench", matches = "true")
class AgentTunnelBenchmark {
  static final int BULK = 128 << 20;
  static final int PINGS = 2000;
  @TempDir Path dir;

  @Test
  void run() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (AgentWorker agent =
            new AgentWorker(
                new AgentOptions(
                    "127.0.0.1",
                    0,
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(60),
                    null,
                    "bench"));
        BenchServers servers = new BenchServers()) {
      agent.start().await();
      AgentClient c =
          AgentClient.connect(vertx, "127.0.0.1", agent.port(), new AgentClientOptions()).await();
      for (int round = 0; round < 3; round++) {
        double p = directThroughput(servers.sinkPort());
        double s = tunnelThroughput(c, servers.sinkPort());
        report("B5", "throughput-1-stream-MBps", p, s);
        long[] dp = directPingPong(servers.echoPort());
        long[] sp = tunnelPingPong(c, servers.echoPort(), false);
        report("B5", "pingpong-64B-p50-us", dp[0] / 1e3, sp[0] / 1e3);
        report("B5", "pingpong-64B-p99-us", dp[1] / 1e3, sp[1] / 1e3);
        long[] busy = tunnelPingPong(c, servers.echoPort(), true);
        report("B5", "pingpong-p99-under-bulk-vs-idle-us", sp[1] / 1e3, busy[1] / 1e3);
      }
      Path big = dir.resolve("big");
      byte[] data = new byte[64 << 20];
      new Random(1).nextBytes(data);
      java.nio.file.Files.write(big, data);
      for (int round = 0; round < 3; round++) {
        double p = directFileStream(servers, big);
        report(
            "B6",
            "whole-file-fetch-MBps",
            p,
            mbps(data.length, time(() -> c.fetchFile(big.toString()).await())));
        report(
            "B6",
            "pread-1MiB-MBps",
            p,
            mbps(data.length, time(() -> preadAll(c, big, 1 << 20, data.length))));
        report(
            "B6", "pread-4KiB-MBps", p, mbps(4 << 20, time(() -> preadAll(c, big, 4096, 4 << 20))));
      }
      c.close();
    } finally {
      vertx.close().await();
    }
  }

  private static void report(String id, String variant, double direct, double ours) {
    System.out.printf(
        Locale.ROOT,
        "{\"id\":\"%s\",\"variant\":\"%s\",\"P\":%.2f,\"S\":%.2f,\"ratio_S_P\":%.3f}%n",
        id,
        variant,
        direct,
        ours,
        ours / direct);
  }

  private interface Work {
    void run() throws Exception;
  }

  private static long time(Work w) throws Exception {
    long t = System.nanoTime();
    w.run();
    return System.nanoTime() - t;
  }

  private static double mbps(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  private static double directThroughput(int port) throws Exception {
    byte[] chunk = new byte[64 << 10];
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      long t =
          time(
              () -> {
                OutputStream out = s.getOutputStream();
                for (int sent = 0; sent < BULK; sent += chunk.length) {
                  out.write(chunk);
                }
                s.shutdownOutput();
                s.getInputStream().read();
              });
      return mbps(BULK, t);
    }
  }

  private static double tunnelThroughput(AgentClient c, int port) throws Exception {
    OutgoingStream s = c.connect(Net.KIND_TCP, "127.0.0.1", port).await();
    Promise<Void> acked = Promise.promise();
    s.handler(b -> acked.tryComplete());
    Buffer chunk = Buffer.buffer(new byte[64 << 10]);
    long t =
        time(
            () -> {
              for (int sent = 0; sent < BULK; sent += chunk.length()) {
                s.write(chunk);
              }
              s.shutdown();
              acked.future().await();
            });
    s.close();
    return mbps(BULK, t);
  }

  private static long[] directPingPong(int port) throws Exception {
    long[] rtt = new long[PINGS];
    byte[] msg = new byte[64];
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setTcpNoDelay(true);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < PINGS; i++) {
        long t = System.nanoTime();
        out.write(msg);
        int got = 0;
        while (got < msg.length) {
          got += in.read(new byte[64], 0, msg.length - got);
        }
        rtt[i] = System.nanoTime() - t;
      }
    }
    return percentiles(rtt);
  }

  private static long[] tunnelPingPong(AgentClient c, int echoPort, boolean withBulk)
      throws Exception {
    OutgoingStream bulk = null;
    AtomicLong bulkBytes = new AtomicLong();
    if (withBulk) {
      bulk = c.connect(Net.KIND_TCP, "127.0.0.1", echoPort).await();
      bulk.handler(b -> bulkBytes.addAndGet(b.length()));
      Buffer chunk = Buffer.buffer(new byte[64 << 10]);
      for (int i = 0; i < 512; i++) {
        bulk.write(chunk);
      }
    }
    OutgoingStream s = c.connect(Net.KIND_TCP, "127.0.0.1", echoPort).await();
    long[] rtt = new long[PINGS];
    Buffer msg = Buffer.buffer(new byte[64]);
    for (int i = 0; i < PINGS; i++) {
      Promise<Void> back = Promise.promise();
      AtomicLong got = new AtomicLong();
      s.handler(
          b -> {
            if (got.addAndGet(b.length()) >= 64) {
              back.tryComplete();
            }
          });
      long t = System.nanoTime();
      s.write(msg);
      back.future().await();
      rtt[i] = System.nanoTime() - t;
    }
    s.close();
    if (bulk != null) {
      bulk.close();
    }
    return percentiles(rtt);
  }

  private static long[] percentiles(long[] v) {
    long[] sorted = v.clone();
    Arrays.sort(sorted);
    return new long[] {sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)]};
  }

  private static double directFileStream(BenchServers servers, Path file) throws Exception {
    long size = java.nio.file.Files.size(file);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), servers.filePort(file))) {
      long t = time(() -> s.getInputStream().readAllBytes());
      return mbps(size, t);
    }
  }

  private static void preadAll(AgentClient c, Path file, int block, long total) {
    long fd =
        c.request(new Files.Open(file.toString(), 0, 0), Files.HandleReply.class).await().fd();
    for (long off = 0; off < total; off += block) {
      c.request(new Files.Pread(fd, off, block), Files.BytesReply.class).await();
    }
    c.request(new Files.Close(fd)).await();
  }
}
