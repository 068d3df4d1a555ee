package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Containers the test starts with the {@code podman} command. Each carries the label {@value
 * #OWNER_LABEL} with the test JVM's PID: {@link #close} removes this run's, {@link #sweepLeftovers}
 * those of test JVMs that died. Every container gets explicit open-file and process limits: rootful
 * podman's defaults ask runc for more than this machine's hard limits allow ("error setting rlimit
 * type 7 / 6: operation not permitted").
 */
final class PodmanContainers implements AutoCloseable {
  static final String OWNER_LABEL = "dev.mirrordj.test.owner";
  static final List<String> ULIMIT = ulimits();

  private final String owner = Long.toString(ProcessHandle.current().pid());
  private final List<String> names = new ArrayList<>();

  /**
   * The hard limits this JVM has for open files and processes; processes also capped by the
   * kernel's PID range, which runc cannot exceed either.
   */
  private static List<String> ulimits() {
    long files = 20_000;
    long processes = 32_768;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        String[] cols = line.trim().split("\\s{2,}");
        if (cols.length >= 3 && cols[0].equals("Max open files") && !cols[2].equals("unlimited")) {
          files = Long.parseLong(cols[2]);
        }
        if (cols.length >= 3 && cols[0].equals("Max processes") && !cols[2].equals("unlimited")) {
          processes = Long.parseLong(cols[2]);
        }
      }
      // line-wise: a whole-file read of a procfs file can come back short
      long pidMax =
          Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim());
      processes = Math.min(processes, pidMax);
    } catch (IOException | NumberFormatException e) {
      // keep the conservative defaults above
    }
    return List.of(
        "--ulimit",
        "nofile=" + files + ":" + files,
        "--ulimit",
        "nproc=" + processes + ":" + processes);
  }

  static void sweepLeftovers() {
    ExecResult r =
        Node.run(
            "podman",
            "ps",
            "-a",
            "--filter",
            "label=" + OWNER_LABEL,
            "--format",
            "{{.ID}} {{index .Labels \"" + OWNER_LABEL + "\"}}");
    for (String line : r.stdout().lines().toList()) {
      String[] cols = line.trim().split(" ");
      if (cols.length == 2 && ProcessHandle.of(Long.parseLong(cols[1])).isEmpty()) {
        Node.run("podman", "rm", "-f", "-t", "0", cols[0]);
      }
    }
  }

  /** The options every test container gets: its name, the owner label, the ulimit. */
  List<String> baseOptions(String name) {
    names.add(name);
    List<String> options =
        new ArrayList<>(List.of("--name", name, "--label", OWNER_LABEL + "=" + owner));
    options.addAll(ULIMIT);
    return options;
  }

  /** {@code podman run -d}: returns the 64-hex container ID. */
  String runDetached(String name, List<String> options, String image, String... command) {
    List<String> argv = new ArrayList<>(List.of("podman", "run", "-d"));
    argv.addAll(baseOptions(name));
    argv.addAll(options);
    argv.add(image);
    argv.addAll(List.of(command));
    return Node.check(argv.toArray(String[]::new)).stdout().trim();
  }

  /** {@code podman create}: a container that exists but never ran. */
  String create(String name, String image, String... command) {
    List<String> argv = new ArrayList<>(List.of("podman", "create"));
    argv.addAll(baseOptions(name));
    argv.add("--network");
    argv.add("none");
    argv.add(image);
    argv.addAll(List.of(command));
    return Node.check(argv.toArray(String[]::new)).stdout().trim();
  }

  static long pid(String nameOrId) {
    return Long.parseLong(
        Node.check("podman", "inspect", "--format", "{{.State.Pid}}", nameOrId).stdout().trim());
  }

  static String id(String name) {
    return Node.check("podman", "inspect", "--format", "{{.Id}}", name).stdout().trim();
  }

  void remove(String name) {
    Node.run("podman", "rm", "-f", "-t", "0", name);
    names.remove(name);
  }

  @Override
  public void close() {
    for (String name : List.copyOf(names)) {
      remove(name);
    }
  }
}
