package dev.mirrordj.sniffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away network namespace with loopback up, for sniffer tests (the sniffer module cannot use
 * the test harness, which sits above it). Root only: outside CI a non-root run skips with one line;
 * with CI=true it fails.
 */
final class TestNetns implements AutoCloseable {

  final String name = "mdjs" + UUID.randomUUID().toString().substring(0, 8);
  final Path path = Path.of("/run/netns", name);
  private final List<Process> processes = new ArrayList<>();

  static void assumeRoot() {
    boolean root = dev.mirrordj.sys.Privileges.effectiveRoot();
    if (!root && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort("skipped: needs root for network namespaces and pcap (runs in CI)");
    }
  }

  TestNetns() throws IOException, InterruptedException {
    run("ip", "netns", "add", name);
    run("ip", "-n", name, "link", "set", "lo", "up");
  }

  static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  /** Starts a process inside the namespace; it is killed on close. */
  Process spawn(String... cmd) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(List.of(cmd));
    Process p =
        new ProcessBuilder(full)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    processes.add(p);
    return p;
  }

  /** Runs a command in the namespace to completion and returns its output. */
  String exec(String... cmd) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(List.of(cmd));
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", full) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    if (Files.exists(path)) {
      run("ip", "netns", "del", name);
    }
  }
}
