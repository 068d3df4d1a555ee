package dev.mirrordj.e2e.bench;

import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.protocol.Files;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * B6 remote file read: a pod file read through the agent with 1 MiB and 4 KiB requests, and 1,000
 * whole small files (FETCH, and open+read+close), vs the same bytes streamed over a plain TCP
 * connection on the same loopback link (P). Reads are sequential, one request in flight, as a
 * program's read() loop is.
 */
final class B6RemoteFileRead {
  static final String BIG = "/app/big.bin";
  static final int BIG_SIZE = 64 << 20;
  static final int SMALL_FILES = 1000;
  static final int SMALL_SIZE = 4096;

  /**
   * 4 KiB requests cover only the first 8 MiB: 2,048 round trips per round is enough to measure.
   */
  static final int SMALL_BLOCK_BYTES = 8 << 20;

  private static final double MIB = 1 << 20;

  private final BenchEnv env;
  private final PlainFileStreamer plain;
  private final String[] smallPaths = new String[SMALL_FILES];

  B6RemoteFileRead(BenchEnv env, PlainFileStreamer plain) {
    this.env = env;
    this.plain = plain;
    for (int i = 0; i < SMALL_FILES; i++) {
      smallPaths[i] = smallPath(i);
    }
  }

  static String smallPath(int i) {
    return String.format("/app/small/f%04d.txt", i);
  }

  /** The pod B6 reads from: one 64 MiB file and 1,000 files of 4 KiB. */
  static PodSpec podSpec() {
    byte[] big = new byte[BIG_SIZE];
    new Random(6).nextBytes(big);
    PodSpec spec = PodSpec.named("files").file(BIG, big, 0644);
    byte[] small = new byte[SMALL_SIZE];
    for (int i = 0; i < SMALL_FILES; i++) {
      new Random(i).nextBytes(small);
      spec.file(smallPath(i), small, 0644);
    }
    return spec;
  }

  List<JsonLine> run(int rounds) {
    readBlocks(BIG_SIZE, 1 << 20);
    plain.fetch(BIG_SIZE, BIG); // warm-up
    List<JsonLine> out = new ArrayList<>();
    out.add(
        Rounds.run(
                rounds,
                () -> mibps(() -> plain.fetch(BIG_SIZE, BIG)),
                () -> mibps(() -> readBlocks(BIG_SIZE, 1 << 20)))
            .into(new JsonLine("B6", "read-1MiB-blocks"))
            .put("unit", "MiB/s")
            .put("bytes", BIG_SIZE)
            .put("gate_ratio_min", 0.5));
    out.add(
        Rounds.run(
                rounds,
                () -> mibps(() -> plain.fetch(SMALL_BLOCK_BYTES, BIG)),
                () -> mibps(() -> readBlocks(SMALL_BLOCK_BYTES, 4096)))
            .into(new JsonLine("B6", "read-4KiB-blocks"))
            .put("unit", "MiB/s")
            .put("bytes", SMALL_BLOCK_BYTES)
            .put("gate_ratio_min", 0.25));
    double rttUs = pingUs();
    fetchSmallFiles();
    openReadCloseSmallFiles(); // warm-up of the small-file paths
    Rounds fetch =
        Rounds.run(
            rounds,
            () -> mibps(() -> plain.fetch(Long.MAX_VALUE, smallPaths)),
            () -> mibps(this::fetchSmallFiles));
    out.add(
        fetch
            .into(new JsonLine("B6", "whole-small-files-fetch"))
            .put("unit", "MiB/s")
            .put("files", SMALL_FILES)
            .put("file_bytes", SMALL_SIZE)
            .put("us_per_file_S", Stats.round(usPerFile(fetch), 1))
            .put("agent_rtt_us", Stats.round(rttUs, 1))
            .put("rtts_per_file", Stats.round(usPerFile(fetch) / rttUs, 2)));
    Rounds orc =
        Rounds.run(
            rounds,
            () -> mibps(() -> plain.fetch(Long.MAX_VALUE, smallPaths)),
            () -> mibps(this::openReadCloseSmallFiles));
    out.add(
        orc.into(new JsonLine("B6", "small-files-open-read-close"))
            .put("unit", "MiB/s")
            .put("files", SMALL_FILES)
            .put("us_per_file_S", Stats.round(usPerFile(orc), 1))
            .put("agent_rtt_us", Stats.round(rttUs, 1))
            .put("rtts_per_file", Stats.round(usPerFile(orc) / rttUs, 2))
            .put("gate_rtts_per_file_max", 3));
    return out;
  }

  private static double usPerFile(Rounds r) {
    double mibps = Stats.median(r.s);
    return (SMALL_FILES * (double) SMALL_SIZE / MIB) / mibps / SMALL_FILES * 1e6;
  }

  private interface ByteCount {
    long run();
  }

  private static double mibps(ByteCount work) {
    long t0 = System.nanoTime();
    long bytes = work.run();
    return bytes / MIB / ((System.nanoTime() - t0) / 1e9);
  }

  /** open, read(blockSize) until {@code limit} bytes or EOF, close; returns bytes read. */
  long readBlocks(long limit, int blockSize) {
    long fd =
        BenchEnv.await(env.client.request(new Files.Open(BIG, 0, 0), Files.HandleReply.class)).fd();
    long total = 0;
    while (total < limit) {
      Buffer b =
          BenchEnv.await(
                  env.client.request(
                      new Files.Read(fd, (int) Math.min(blockSize, limit - total)),
                      Files.BytesReply.class))
              .data();
      if (b.length() == 0) {
        break;
      }
      total += b.length();
    }
    BenchEnv.await(env.client.request(new Files.Close(fd)));
    SocketPaths.check(total == limit, "read " + total + " of " + limit);
    return total;
  }

  long fetchSmallFiles() {
    long total = 0;
    for (String p : smallPaths) {
      total += BenchEnv.await(env.client.fetchFile(p)).length();
    }
    SocketPaths.check(total == (long) SMALL_FILES * SMALL_SIZE, "fetched " + total);
    return total;
  }

  long openReadCloseSmallFiles() {
    long total = 0;
    for (String p : smallPaths) {
      long fd =
          BenchEnv.await(env.client.request(new Files.Open(p, 0, 0), Files.HandleReply.class)).fd();
      total +=
          BenchEnv.await(env.client.request(new Files.Read(fd, SMALL_SIZE), Files.BytesReply.class))
              .data()
              .length();
      BenchEnv.await(env.client.request(new Files.Close(fd)));
    }
    SocketPaths.check(total == (long) SMALL_FILES * SMALL_SIZE, "read " + total);
    return total;
  }

  private double pingUs() {
    double[] rtt = new double[2000];
    for (int i = -200; i < rtt.length; i++) {
      long ns = BenchEnv.await(env.client.ping());
      if (i >= 0) {
        rtt[i] = ns / 1e3;
      }
    }
    return Stats.quantile(rtt, 0.5);
  }
}
