package dev.mirrordj.cli.run;

import dev.mirrordj.sys.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps track of the program's descendants after it exits. `run` makes itself a child subreaper
 * (prctl PR_SET_CHILD_SUBREAPER), so processes the program leaves behind are re-parented to `run`
 * instead of init; `run` keeps serving them and reaps them when they exit.
 */
final class Descendants {
  private static final Logger log = LoggerFactory.getLogger(Descendants.class);
  private static final int PR_SET_CHILD_SUBREAPER = 36;
  private static final int WNOHANG = 1;

  private Descendants() {}

  /** The shared binding; loading it may throw, which the callers treat as "not available". */
  private static LibC libc() {
    return LibC.INSTANCE;
  }

  /** Returns false (and logs) when the kernel or JNA refuses; orphans then go to init as usual. */
  static boolean becomeSubreaper() {
    try {
      return libc().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
    } catch (Throwable e) {
      log.debug("cannot become a child subreaper: {}", e.toString());
      return false;
    }
  }

  /** Live adopted children (not in {@code ours}); zombies among them are reaped on the way. */
  static List<ProcessHandle> live(Set<Long> ours) {
    return ProcessHandle.current()
        .children()
        .filter(p -> !ours.contains(p.pid()))
        .filter(p -> !reapIfZombie(p.pid()))
        .toList();
  }

  private static boolean reapIfZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state != 'Z') return false;
    } catch (IOException | RuntimeException e) {
      return true; // gone already
    }
    try {
      libc().waitpid((int) pid, new int[1], WNOHANG);
    } catch (Throwable e) {
      log.debug("cannot reap {}: {}", pid, e.toString());
    }
    return true;
  }
}
