package dev.mirrordj.harness;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A running test pod: its main process (the PID an agent targets) lives in the pod's own network,
 * mount and UTS namespaces with the pod's environment. Created by {@link Cluster#addPod}; closed
 * with the cluster.
 */
public final class Pod {
  private static final String NSENTER = "/usr/bin/nsenter";

  private final PodSpec spec;
  private final String ip;
  private final String ip6;
  private final NamedNetns netns;
  private final Process process;
  private final Map<String, String> env;
  private final Map<String, byte[]> files;
  private final Path log;
  private NetnsExecutor executor;

  Pod(
      PodSpec spec,
      String ip,
      String ip6,
      NamedNetns netns,
      Process process,
      Map<String, String> env,
      Map<String, byte[]> files,
      Path log) {
    this.spec = spec;
    this.ip = ip;
    this.ip6 = ip6;
    this.netns = netns;
    this.process = process;
    this.env = Map.copyOf(env);
    this.files = Map.copyOf(files);
    this.log = log;
  }

  public String name() {
    return spec.name();
  }

  public String hostname() {
    return spec.hostname();
  }

  /** PID of the pod's main process as seen from the host: what {@code agent --target-pid} takes. */
  public long pid() {
    return process.pid();
  }

  /** The pod's address in the cluster subnet. */
  public String ip() {
    return ip;
  }

  /** The pod's IPv6 address (fd00:200:X::100+n), reachable by literal only (no AAAA record). */
  public String ip6() {
    return ip6;
  }

  /** The pod's fully qualified DNS name, served by the cluster DNS. */
  public String dnsName() {
    return spec.name() + "." + Cluster.SEARCH_DOMAINS.get(0);
  }

  /** Name of the pod's named network namespace ({@code ip netns exec <name>}). */
  public String netnsName() {
    return netns.name();
  }

  /** Path of the pod's network namespace (/run/netns/NAME). */
  public Path netnsPath() {
    return netns.path();
  }

  /** The main process's complete environment. */
  public Map<String, String> env() {
    return env;
  }

  /**
   * Every file the harness placed in the pod (absolute pod path to content), including
   * /etc/resolv.conf, hosts, hostname.
   */
  public Map<String, byte[]> files() {
    return files;
  }

  /** The pod's root as reachable from the host: /proc/PID/root (how an agent reads pod files). */
  public Path root() {
    return Path.of("/proc", Long.toString(pid()), "root");
  }

  /** The pod command's combined stdout and stderr so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The main process handle: wait for it, or kill it to simulate the target dying. */
  public Process process() {
    return process;
  }

  void requireAlive() {
    if (!process.isAlive()) {
      throw new HarnessException(
          "pod " + name() + " exited with " + process.exitValue() + "; log:\n" + log());
    }
  }

  /** Waits until something in the pod listens on TCP {@code port}. */
  public void awaitListening(int port, Duration timeout) {
    Poll.until(
        "pod " + name() + " listening on " + port,
        timeout,
        () -> {
          requireAlive();
          return ListeningSockets.tcpListening(pid(), port);
        });
  }

  /**
   * Runs a command inside the pod (all its namespaces, its root and its environment) to completion.
   */
  public ExecResult exec(String... argv) {
    return Commands.run(nsenter(List.of(argv)), env, Commands.DEFAULT_TIMEOUT);
  }

  /**
   * Starts a command inside the pod in the background; returns once it is inside the pod's network
   * namespace. It is killed when the pod closes.
   */
  public Process start(List<String> argv, File output) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(nsenter(argv))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output));
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    netns.awaitJoined(p);
    return p;
  }

  private List<String> nsenter(List<String> argv) {
    List<String> all =
        new ArrayList<>(
            List.of(NSENTER, "-t", Long.toString(pid()), "-n", "-m", "-u", "-r", "-w", "--"));
    all.addAll(argv);
    return all;
  }

  /**
   * Runs Java code on a thread inside the pod's network namespace (sockets made there stay there).
   */
  public synchronized <T> T inNetns(Callable<T> work) {
    if (executor == null) {
      executor = new NetnsExecutor(netns.path());
    }
    return executor.call(work);
  }

  /** Kills every process of the pod and removes its namespace; idempotent. */
  void destroy() {
    if (executor != null) {
      executor.close();
    }
    process.destroyForcibly();
    netns.destroy();
  }
}
