package dev.mirrordj.e2e.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** The measurements over a plain connected socket (the direct path P and the socat relay R1). */
final class SocketPaths {
  static final int CHUNK = 64 * 1024;
  static final int PINGS = 3000;
  static final int WARMUP_PINGS = 500;
  static final double MIB = 1 << 20;

  private SocketPaths() {}

  /**
   * Writes {@code bytes} to a sink, half-closes, waits for the sink's 8-byte count; returns MiB/s.
   */
  static double streamToSink(Socket s, long bytes) throws IOException {
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

  /**
   * Round-trip times in microseconds of 64-byte exchanges with an echo server (after a warm-up).
   */
  static double[] pingPong(Socket s) throws IOException {
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

  /** Benchmarks verify what they measured: a wrong byte count is a failure, not a number. */
  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark result is wrong: " + what);
    }
  }
}
