package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.ExecResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Containers the test starts with the {@code podman} command. Each carries the label {@value
 * #OWNER_LABEL} with the test JVM's PID: {@link #close} removes this run's, {@link #sweepLeftovers}
 * those of test JVMs that died. Every container gets {@code --ulimit nofile=20000:20000}: podman's
 * default asks runc for more open files than this machine's hard limit allows.
 */
final class PodmanContainers implements AutoCloseable {
  static final String OWNER_LABEL = "dev.mirrordj.test.owner";
  static final List<String> ULIMIT = List.of("--ulimit", "nofile=20000:20000");

  private final String owner = Long.toString(ProcessHandle.current().pid());
  private final List<String> names = new ArrayList<>();

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
