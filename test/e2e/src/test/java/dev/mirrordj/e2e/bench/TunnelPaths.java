package dev.mirrordj.e2e.bench;

import static dev.mirrordj.e2e.bench.SocketPaths.CHUNK;
import static dev.mirrordj.e2e.bench.SocketPaths.MIB;
import static dev.mirrordj.e2e.bench.SocketPaths.PINGS;
import static dev.mirrordj.e2e.bench.SocketPaths.WARMUP_PINGS;
import static dev.mirrordj.e2e.bench.SocketPaths.check;

import dev.mirrordj.protocol.Net;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.OutgoingStream;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The same measurements as {@link SocketPaths} through the agent: outgoing streams of one
 * AgentClient (S).
 */
final class TunnelPaths {
  /** Chunks queued on the client at most: 1 MiB, enough to keep the agent's credit window full. */
  private static final int IN_FLIGHT = 16;

  private final AgentClient client;
  private final String server;

  TunnelPaths(AgentClient client, String server) {
    this.client = client;
    this.server = server;
  }

  /**
   * Sends up to {@code bytes} (fewer once {@code stop} is true) to the sink, waits for its count;
   * returns MiB/s.
   */
  double throughput(long bytes, BooleanSupplier stop) {
    OutgoingStream st =
        BenchEnv.await(client.connect(Net.KIND_TCP, server, BenchServers.SINK_PORT));
    Buffer reply = Buffer.buffer();
    CompletableFuture<Long> count = new CompletableFuture<>();
    st.handler(
        b -> {
          reply.appendBuffer(b);
          if (reply.length() >= 8) {
            count.complete(reply.getLong(0));
          }
        });
    st.closeHandler(
        errno ->
            count.completeExceptionally(new IllegalStateException("closed with errno " + errno)));
    Buffer chunk = Buffer.buffer(new byte[CHUNK]);
    Semaphore window = new Semaphore(IN_FLIGHT);
    long t0 = System.nanoTime();
    try {
      long sent = 0;
      while (sent < bytes && !stop.getAsBoolean()) {
        window.acquire();
        st.write(chunk).onComplete(ar -> window.release());
        sent += CHUNK;
      }
      window.acquire(IN_FLIGHT);
      st.shutdown();
      long got = count.get(120, TimeUnit.SECONDS);
      long t1 = System.nanoTime();
      check(got == sent, "sink counted " + got + " of " + sent);
      st.close();
      return sent / MIB / ((t1 - t0) / 1e9);
    } catch (Exception e) {
      throw new IllegalStateException("tunnel throughput failed: " + e, e);
    }
  }

  /**
   * Round-trip times in microseconds of 64-byte exchanges with the echo server through the agent.
   */
  double[] pingPong() {
    OutgoingStream st =
        BenchEnv.await(client.connect(Net.KIND_TCP, server, BenchServers.ECHO_PORT));
    AtomicLong received = new AtomicLong();
    Object lock = new Object();
    st.handler(
        b -> {
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
}
