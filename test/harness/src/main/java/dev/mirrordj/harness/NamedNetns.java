package dev.mirrordj.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace created with {@code ip netns add}: bind-mounted at /run/netns/NAME, so it has
 * a stable path.
 */
public final class NamedNetns {
  private final String name;

  private NamedNetns(String name) {
    this.name = name;
  }

  /** Creates the namespace and brings its loopback up. */
  public static NamedNetns create(String name) {
    Commands.check("ip", "netns", "add", name);
    NamedNetns ns = new NamedNetns(name);
    ns.ip("link", "set", "lo", "up");
    return ns;
  }

  /** Handle to an existing namespace (used by the sweeper). */
  public static NamedNetns existing(String name) {
    return new NamedNetns(name);
  }

  /** Names of every named network namespace on the host. */
  public static List<String> listAll() {
    List<String> names = new ArrayList<>();
    for (String line : Commands.check("ip", "netns", "list").stdout().split("\n")) {
      String n = line.strip().split("\\s+")[0];
      if (!n.isEmpty()) {
        names.add(n);
      }
    }
    return names;
  }

  public String name() {
    return name;
  }

  /** The bind mount that pins the namespace; open it and setns(2) to join. */
  public Path path() {
    return Path.of("/run/netns", name);
  }

  /** Runs {@code ip -n NAME args...} and requires success. */
  public ExecResult ip(String... args) {
    List<String> argv = new ArrayList<>(List.of("ip", "-n", name));
    argv.addAll(List.of(args));
    return Commands.run(argv, null, Commands.DEFAULT_TIMEOUT).requireOk();
  }

  /** PIDs of every process whose network namespace is this one. */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    ExecResult r = Commands.run("ip", "netns", "pids", name);
    for (String line : r.stdout().split("\n")) {
      if (!line.isBlank()) {
        pids.add(Long.parseLong(line.strip()));
      }
    }
    return pids;
  }

  /**
   * True when process {@code pid} is (already) inside this namespace: its ns/net link names our
   * inode.
   */
  public boolean contains(long pid) {
    try {
      Object ino = java.nio.file.Files.getAttribute(path(), "unix:ino");
      String link =
          java.nio.file.Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net"))
              .toString();
      return link.equals("net:[" + ino + "]");
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Waits until a just-started {@code ip netns exec}/nsenter child has joined the namespace (or
   * died).
   */
  void awaitJoined(Process p) {
    Poll.until(
        "process " + p.pid() + " to join netns " + name,
        Duration.ofSeconds(10),
        () -> {
          if (!p.isAlive()) {
            throw new HarnessException(
                "process "
                    + p.pid()
                    + " exited with "
                    + p.exitValue()
                    + " before joining netns "
                    + name);
          }
          return contains(p.pid());
        });
  }

  /** SIGKILLs every process in the namespace and waits until none is left. */
  public void killAll(Duration timeout) {
    Poll.until(
        "processes in netns " + name + " to exit",
        timeout,
        () -> {
          List<Long> left = pids();
          left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
          return left.isEmpty();
        });
  }

  /** Kills what runs inside, then deletes the namespace; idempotent. */
  public void destroy() {
    killAll(Duration.ofSeconds(10));
    ExecResult r = Commands.run("ip", "netns", "del", name);
    if (!r.ok() && !r.stderr().contains("No such file")) {
      throw new HarnessException("cannot delete netns " + name + ": " + r.stderr().strip());
    }
  }
}
