package dev.mirrordj.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what crashed earlier harness runs left behind: named network namespaces (with every
 * process still inside them), staging directories and route markers, but only those whose owner PID
 * is dead, so a concurrent run is never touched. Pod veths and mounts live inside those namespaces
 * and go with them.
 */
public final class Sweeper {
  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

  private Sweeper() {}

  /** Sweeps every orphaned harness resource; returns how many namespaces were removed. */
  public static int sweepOrphans() {
    int removed = 0;
    for (String name : NamedNetns.listAll()) {
      if (OwnerNames.isOrphan(name)) {
        LOG.warn(
            "sweeping leftover netns {} of dead harness owner {}",
            name,
            OwnerNames.ownerOf(name).getAsLong());
        NamedNetns.existing(name).destroy();
        removed++;
      }
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    for (Path dir : list(tmp)) {
      if (Files.isDirectory(dir) && OwnerNames.isOrphan(dir.getFileName().toString())) {
        LOG.warn("sweeping leftover harness directory {}", dir);
        deleteTree(dir);
      }
    }
    for (Path marker : list(HostRoutes.DIR)) {
      String n = marker.getFileName().toString();
      int dash = n.indexOf('-');
      if (dash > 0
          && n.substring(0, dash).chars().allMatch(Character::isDigit)
          && !Files.exists(Path.of("/proc", n.substring(0, dash)))) {
        deleteTree(marker);
      }
    }
    return removed;
  }

  private static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Deletes a directory tree without following symlinks (pod roots are never mounted on the host
   * side).
   */
  public static void deleteTree(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new HarnessException("cannot delete " + root + ": " + e.getMessage(), e);
    }
  }
}
