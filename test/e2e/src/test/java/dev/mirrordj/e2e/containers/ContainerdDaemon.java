package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.Commands;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Poll;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real containerd started for the test, listening on the {@link Node}'s {@code
 * run/containerd/containerd.sock}. Its image store ({@link #ROOT}) outlives the test so imported
 * images are a cache; its state (tasks, shims' sockets) is per run. The CRI plugin is off: it would
 * want CNI and a pause image from a registry; Kubernetes' namespace {@code k8s.io} is used
 * directly. {@link #close} kills and deletes every task and container it ran, stops the shims and
 * the daemon.
 */
final class ContainerdDaemon implements AutoCloseable {
  static final Path ROOT = Path.of("/var/lib/mirrordj-test-containerd");
  private static final String STATE_PREFIX = "/run/mirrordj-test-containerd-";

  private final Path socket;
  private final Path state;
  private final Process process;
  private final List<String[]> created = new ArrayList<>();

  private ContainerdDaemon(Path socket, Path state, Process process) {
    this.socket = socket;
    this.state = state;
    this.process = process;
  }

  static ContainerdDaemon start(Node node) throws IOException {
    return start(node, ROOT);
  }

  /**
   * @param root the image store: kept between runs as a cache; a daemon of its own per test class,
   *     so that classes run at the same time (from different checkouts) do not wait on one
   *     another's store lock
   */
  static ContainerdDaemon start(Node node, Path root) throws IOException {
    sweepLeftovers();
    Path state = Path.of(STATE_PREFIX + ProcessHandle.current().pid());
    Files.createDirectories(state);
    Path config = state.resolve("config.toml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "version = 2",
            "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]",
            "[grpc]",
            "  address = \"" + node.containerdSocket() + "\"",
            ""));
    Process p =
        new ProcessBuilder(
                "containerd",
                "--config",
                config.toString(),
                "--root",
                root.toString(),
                "--state",
                state.toString())
            .redirectErrorStream(true)
            .redirectOutput(state.resolve("containerd.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    ContainerdDaemon d = new ContainerdDaemon(node.containerdSocket(), state, p);
    try {
      Poll.until(
          "containerd answers on " + node.containerdSocket(),
          Duration.ofSeconds(60),
          () -> p.isAlive() && d.ctr("default", "version").ok());
    } catch (RuntimeException e) {
      String log = d.log();
      d.close();
      throw new AssertionError("containerd did not start: " + e.getMessage() + "\n" + log, e);
    }
    return d;
  }

  /**
   * containerd daemons and shims of earlier test JVMs that died without cleaning up: their command
   * lines name the owner's PID (state directory of the daemon, node socket of the shims).
   */
  private static void sweepLeftovers() {
    java.util.regex.Pattern owner =
        java.util.regex.Pattern.compile("(?:mirrordj-test-containerd-|/mdj-node-)(\\d+)");
    ProcessHandle.allProcesses()
        .filter(
            ph -> {
              String cmd = ph.info().commandLine().orElse("");
              if (!cmd.contains("containerd")) {
                return false;
              }
              var m = owner.matcher(cmd);
              return m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
            })
        .forEach(ProcessHandle::destroyForcibly);
  }

  Path socket() {
    return socket;
  }

  String address() {
    return socket.toString();
  }

  ExecResult ctr(String namespace, String... args) {
    List<String> argv = new ArrayList<>(List.of("ctr", "--address", address(), "-n", namespace));
    argv.addAll(List.of(args));
    return Node.run(argv.toArray(String[]::new));
  }

  /**
   * {@code ctr run -d}: a container and its task in {@code namespace}, from an image containerd
   * has; {@code options} go before the image (e.g. {@code --env K=V}, {@code --mount ...}).
   */
  void run(String namespace, String id, List<String> options, String image, String... command) {
    List<String> argv =
        new ArrayList<>(List.of("ctr", "--address", address(), "-n", namespace, "run", "-d"));
    argv.addAll(options);
    argv.add(image);
    argv.add(id);
    argv.addAll(List.of(command));
    created.add(new String[] {namespace, id});
    Node.check(argv.toArray(String[]::new));
  }

  /**
   * As {@link #run}, but the result is the caller's to judge (a kubelet reports a failed start in
   * the pod's status).
   */
  ExecResult tryRun(
      String namespace, String id, List<String> options, String image, List<String> command) {
    List<String> argv =
        new ArrayList<>(List.of("ctr", "--address", address(), "-n", namespace, "run", "-d"));
    argv.addAll(options);
    argv.add(image);
    argv.add(id);
    argv.addAll(command);
    created.add(new String[] {namespace, id});
    return Commands.run(argv, null, Duration.ofMinutes(1));
  }

  /** The host PID of the container's task, as {@code ctr tasks ls} reports it. */
  long taskPid(String namespace, String id) {
    for (String line : ctr(namespace, "tasks", "ls").stdout().lines().toList()) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 3 && cols[0].equals(id)) {
        return Long.parseLong(cols[1]);
      }
    }
    throw new AssertionError("containerd has no task " + id + " in namespace " + namespace);
  }

  /** The task's status column (RUNNING, STOPPED, ...). */
  String taskStatus(String namespace, String id) {
    for (String line : ctr(namespace, "tasks", "ls").stdout().lines().toList()) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 3 && cols[0].equals(id)) {
        return cols[2];
      }
    }
    return "NONE";
  }

  void remove(String namespace, String id) {
    ctr(namespace, "tasks", "kill", "-s", "SIGKILL", id);
    Poll.tryUntil(Duration.ofSeconds(10), () -> !taskStatus(namespace, id).equals("RUNNING"));
    ctr(namespace, "tasks", "delete", "-f", id);
    ctr(namespace, "containers", "delete", id);
  }

  String log() {
    try {
      return Files.readString(state.resolve("containerd.log"));
    } catch (IOException e) {
      return "(no containerd log: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      for (String[] c : created) {
        remove(c[0], c[1]);
      }
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // shims outlive containerd by design; ours carry our socket address on their command line
    ProcessHandle.allProcesses()
        .filter(ph -> ph.info().commandLine().orElse("").contains(address()))
        .forEach(ProcessHandle::destroyForcibly);
    Node.run("umount", "-R", state.toString());
    Node.run("rm", "-rf", state.toString());
  }
}
