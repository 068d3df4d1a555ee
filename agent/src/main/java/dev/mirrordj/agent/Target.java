package dev.mirrordj.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process the agent acts for, or none (targetless: the agent's own namespaces). Identity is pid
 * plus start time, so a recycled pid is not mistaken for the target.
 */
public final class Target {
  private final Long pid;
  private final String startTime;

  private Target(Long pid, String startTime) {
    this.pid = pid;
    this.startTime = startTime;
  }

  public static Target targetless() {
    return new Target(null, null);
  }

  /** Fails with a clear message when the pid does not exist or its /proc entry cannot be read. */
  public static Target ofPid(long pid) {
    String start = startTimeOf(pid);
    if (start == null) {
      throw new IllegalArgumentException(
          "target pid " + pid + " does not exist (no readable /proc/" + pid + "/stat)");
    }
    if (!Files.isReadable(Path.of("/proc/" + pid + "/environ"))) {
      throw new IllegalArgumentException(
          "cannot read /proc/"
              + pid
              + "/environ: the agent needs root or "
              + "CAP_SYS_PTRACE over the target");
    }
    return new Target(pid, start);
  }

  public boolean isTargetless() {
    return pid == null;
  }

  /** The target pid, or null in targetless mode. */
  public Long pid() {
    return pid;
  }

  /** Filesystem root as the target sees it. */
  public Path root() {
    return pid == null ? Path.of("/") : Path.of("/proc/" + pid + "/root");
  }

  public Path environ() {
    return Path.of(pid == null ? "/proc/self/environ" : "/proc/" + pid + "/environ");
  }

  /** True while the same process (same start time) exists and is not a zombie. */
  public boolean isAlive() {
    if (pid == null) {
      return true;
    }
    String stat = readStat(pid);
    if (stat == null) {
      return false;
    }
    String[] f = fieldsAfterComm(stat);
    return f.length > 19 && !f[0].equals("Z") && !f[0].equals("X") && f[19].equals(startTime);
  }

  public String describe() {
    return pid == null ? "targetless" : "pid " + pid;
  }

  private static String startTimeOf(long pid) {
    String stat = readStat(pid);
    if (stat == null) {
      return null;
    }
    String[] f = fieldsAfterComm(stat);
    return f.length > 19 ? f[19] : null;
  }

  /**
   * Fields after "pid (comm)"; comm may contain spaces and parentheses, so split at the last ')'.
   */
  private static String[] fieldsAfterComm(String stat) {
    int close = stat.lastIndexOf(')');
    return stat.substring(close + 2).trim().split(" ");
  }

  private static String readStat(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/stat"));
    } catch (IOException e) {
      return null;
    }
  }
}
