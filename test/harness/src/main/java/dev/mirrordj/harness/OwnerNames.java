package dev.mirrordj.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of everything the harness creates on the host carry the owning JVM's PID: {@code
 * mdj-<ownerpid>-<n>-<suffix>}. A later run sweeps a resource only when that PID is dead, so
 * concurrent runs (other builds on the same machine) never touch each other's namespaces.
 */
public final class OwnerNames {
  /** Every harness resource name starts with this. */
  public static final String PREFIX = "mdj-";

  private static final Pattern OWNED = Pattern.compile("^mdj-(\\d+)-(\\d+)(-.*)?$");
  private static final AtomicInteger RUNS = new AtomicInteger();

  private OwnerNames() {}

  /** PID of this JVM. */
  public static long ownerPid() {
    return ProcessHandle.current().pid();
  }

  /**
   * A fresh run id for this JVM: {@code mdj-<pid>-<n>}, unique among concurrent and earlier runs.
   */
  public static String newRunId() {
    return PREFIX + ownerPid() + "-" + RUNS.incrementAndGet();
  }

  /** The owner PID encoded in a harness name, or empty if the name is not one of ours. */
  public static OptionalLong ownerOf(String name) {
    Matcher m = OWNED.matcher(name);
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** True when {@code name} is a harness name whose owner process no longer exists. */
  public static boolean isOrphan(String name) {
    OptionalLong owner = ownerOf(name);
    return owner.isPresent() && !Files.exists(Path.of("/proc", Long.toString(owner.getAsLong())));
  }
}
