package dev.mirrordj.harness;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * The host's {@code unreachable} route for the test range, so a "cluster-only" address fails
 * locally on the host instead of leaving the machine by the default route.
 *
 * <p>Several harness runs (clusters in one or several JVMs) share the route. Each live run holds a
 * marker file {@code <pid>-<run>-<range>} under {@link #DIR}; under a cross-process file lock, the
 * first run adds the route and the last one (no marker of a live PID left) removes it. A crashed
 * run's marker is ignored once its PID is dead.
 */
final class HostRoutes {
  static final Path DIR = Path.of("/run/mdj-harness/routes");

  private HostRoutes() {}

  /**
   * Adds {@code unreachable range} on the host (if absent) and registers this JVM as a user of it.
   */
  static synchronized void acquire(String range, String runId) {
    withLock(
        () -> {
          Files.writeString(marker(range, runId), range);
          ExecResult r = Commands.run("ip", family(range), "route", "add", "unreachable", range);
          if (!r.ok() && !r.stderr().contains("File exists")) {
            throw new HarnessException(
                "cannot add unreachable route " + range + ": " + r.stderr().strip());
          }
        });
  }

  /** Drops this JVM's registration and removes the route when no live run uses it any more. */
  static synchronized void release(String range, String runId) {
    withLock(
        () -> {
          Files.deleteIfExists(marker(range, runId));
          String suffix = "-" + encode(range);
          try (Stream<Path> markers = Files.list(DIR)) {
            boolean stillUsed =
                markers
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(suffix) && n.indexOf('-') > 0)
                    .anyMatch(n -> Files.exists(Path.of("/proc", n.substring(0, n.indexOf('-')))));
            if (!stillUsed) {
              Commands.run("ip", family(range), "route", "del", "unreachable", range);
            }
          }
        });
  }

  private static String family(String range) {
    return range.contains(":") ? "-6" : "-4";
  }

  /**
   * {@code <pid>-<n>-<range>}: the run id without its "mdj-" prefix, so the owner PID comes first.
   */
  private static Path marker(String range, String runId) {
    return DIR.resolve(runId.substring(OwnerNames.PREFIX.length()) + "-" + encode(range));
  }

  private static String encode(String range) {
    return range.replace('/', '_').replace(':', '.');
  }

  private interface LockedWork {
    void run() throws IOException;
  }

  private static void withLock(LockedWork work) {
    try {
      Files.createDirectories(DIR);
      try (FileChannel ch =
              FileChannel.open(
                  DIR.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        work.run();
      }
    } catch (IOException e) {
      throw new HarnessException(
          "host route bookkeeping under " + DIR + " failed: " + e.getMessage(), e);
    }
  }
}
