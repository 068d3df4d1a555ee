package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.Commands;
import dev.mirrordj.harness.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a Kubernetes node's file system as the agent Job sees it: a directory whose {@code
 * run/} is the node's {@code /run} (where the runtimes' sockets live) and whose {@code var/} is the
 * node's {@code /var}. The test's containerd and Docker API service put their sockets here, and the
 * Job's hostPath volumes are mounted from here, so the agent finds them exactly where it looks on a
 * real node. Also the home of the commands the container tests run.
 */
final class Node implements AutoCloseable {
  static final Duration SLOW = Duration.ofMinutes(15);

  final Path root;

  private Node(Path root) {
    this.root = root;
  }

  static Node create() {
    try {
      Path root = Files.createTempDirectory("mdj-node-" + ProcessHandle.current().pid() + "-");
      Files.createDirectories(root.resolve("run/containerd"));
      Files.createDirectories(root.resolve("var"));
      return new Node(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the node directory: " + e, e);
    }
  }

  /** The node's {@code /run}, {@code /var}, … for a hostPath volume. */
  Path hostPath(String path) {
    return root.resolve(path.replaceFirst("^/+", ""));
  }

  Path containerdSocket() {
    return hostPath("/run/containerd/containerd.sock");
  }

  Path dockerSocket() {
    return hostPath("/run/docker.sock");
  }

  /** Runs a command to completion (30 s), failing the test with its output when it fails. */
  static ExecResult check(String... argv) {
    return check(Duration.ofSeconds(30), argv);
  }

  static ExecResult check(Duration timeout, String... argv) {
    ExecResult r = Commands.run(List.of(argv), null, timeout);
    if (!r.ok()) {
      throw new AssertionError(
          "command failed: "
              + r.command()
              + " exit "
              + r.exitCode()
              + "\n"
              + r.stderr()
              + r.stdout());
    }
    return r;
  }

  static ExecResult run(String... argv) {
    return Commands.run(List.of(argv), null, Duration.ofSeconds(30));
  }

  static List<String> argv(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  @Override
  public void close() {
    Commands.run("rm", "-rf", root.toString());
  }
}
