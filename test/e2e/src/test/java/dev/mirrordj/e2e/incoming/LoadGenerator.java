package dev.mirrordj.e2e.incoming;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fault tests' open-loop load (loadgen.py in the cluster namespace): a new connection per
 * request at a fixed, modest rate through the pod's port, half of them carrying the matching header
 * ({@code X-User: alice}). Bounded by a duration and stoppable early; {@link #close} kills it on
 * every exit path.
 */
final class LoadGenerator implements AutoCloseable {

  /** One finished request; times are epoch milliseconds. */
  record Result(long seq, boolean matched, long intendedStart, long end, String outcome) {
    boolean ok() {
      return outcome.equals("pod") || outcome.equals("local");
    }

    /** Whether the request was open (started and not finished) at {@code time}. */
    boolean inFlightAt(long time) {
      return intendedStart <= time && end >= time;
    }
  }

  private final Process process;
  private final Path out;
  private final Path stdout;
  private final Path stop;

  private LoadGenerator(Process process, Path out, Path stdout, Path stop) {
    this.process = process;
    this.out = out;
    this.stdout = stdout;
    this.stop = stop;
  }

  static LoadGenerator start(
      Cluster cluster, Path dir, Pod pod, int port, int perSecond, int seconds, String pathPrefix)
      throws IOException, InterruptedException {
    Path script = FaultsUnderLoadE2ETest.copy(dir, "loadgen.py");
    Path out = dir.resolve("load-" + System.nanoTime() + ".txt");
    Path stdout = dir.resolve("load-" + System.nanoTime() + ".out");
    Path stop = dir.resolve("load-" + System.nanoTime() + ".stop");
    Process p =
        cluster.start(
            List.of(
                "python3",
                script.toString(),
                pod.ip(),
                "" + port,
                "" + perSecond,
                "" + seconds,
                out.toString(),
                stop.toString(),
                pathPrefix),
            stdout.toFile());
    LoadGenerator g = new LoadGenerator(p, out, stdout, stop);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.readString(stdout).contains("started")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        g.close();
        throw new AssertionError("the load generator did not start: " + Files.readString(stdout));
      }
      Thread.sleep(20); // polling interval
    }
    return g;
  }

  /** Epoch milliseconds of the generator's time 0 (its "started" line). */
  private long epoch0() throws IOException {
    for (String l : Files.readAllLines(stdout)) {
      if (l.startsWith("started ")) {
        return Long.parseLong(l.substring(8).strip());
      }
    }
    throw new AssertionError("no start time from the load generator");
  }

  /** Results so far. */
  List<Result> results() throws IOException {
    long t0 = epoch0();
    List<Result> all = new ArrayList<>();
    for (String l : Files.readAllLines(out)) {
      String[] f = l.split(" ");
      if (f.length == 5) {
        all.add(
            new Result(
                Long.parseLong(f[0]),
                f[1].equals("1"),
                t0 + (long) Double.parseDouble(f[2]),
                t0 + (long) Double.parseDouble(f[3]),
                f[4]));
      }
    }
    return all;
  }

  /** Waits (bounded) until the generator's duration is over and its requests finished. */
  List<Result> finish() throws IOException, InterruptedException {
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      throw new AssertionError("the load generator did not finish: " + Files.readString(stdout));
    }
    return results();
  }

  /** Stops sending now and waits (bounded) for requests in flight to finish; the results. */
  List<Result> stop() throws IOException, InterruptedException {
    Files.writeString(stop, "");
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      throw new AssertionError("the load generator did not finish: " + Files.readString(stdout));
    }
    return results();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
