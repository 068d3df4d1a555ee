package dev.mirrordj.e2e.operator;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * N operator nodes, each its own JVM ({@code java -jar mirrord-fat.jar operator serve}) on
 * loopback, every node given the others' cluster ports. {@link #close} kills every node (and the
 * agents they started) on every exit path.
 */
final class OperatorNodes implements AutoCloseable {
  static final Path FAT_JAR =
      Path.of("..", "..", "cli", "target", "mirrord-fat.jar").toAbsolutePath().normalize();

  /** One node: its process, its ports and its log. */
  record Node(Process process, int port, int httpPort, int clusterPort, Path log) {
    String address() {
      return "127.0.0.1:" + port;
    }

    String statusUrl() {
      return "http://127.0.0.1:" + httpPort + "/";
    }

    String output() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }
  }

  private final List<Node> nodes;

  private OperatorNodes(List<Node> nodes) {
    this.nodes = nodes;
  }

  static OperatorNodes start(Path work, int count) throws Exception {
    return start(work, count, java.util.Map.of());
  }

  /** As {@link #start(Path, int)}, with variables added to every node's environment. */
  static OperatorNodes start(Path work, int count, java.util.Map<String, String> environment)
      throws Exception {
    int[] port = new int[count], http = new int[count], cluster = new int[count];
    for (int i = 0; i < count; i++) {
      port[i] = freePort();
      http[i] = freePort();
      cluster[i] = freePort();
    }
    List<Node> nodes = new ArrayList<>();
    OperatorNodes all = new OperatorNodes(nodes);
    try {
      for (int i = 0; i < count; i++) {
        List<String> members = new ArrayList<>();
        for (int j = 0; j < count; j++) if (j != i) members.add("127.0.0.1:" + cluster[j]);
        List<String> cmd =
            new ArrayList<>(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    FAT_JAR.toString(),
                    "operator",
                    "serve",
                    "--port",
                    Integer.toString(port[i]),
                    "--http-port",
                    Integer.toString(http[i]),
                    "--cluster-port",
                    Integer.toString(cluster[i]),
                    "--agent-ttl",
                    "5"));
        if (!members.isEmpty()) cmd.addAll(List.of("--members", String.join(",", members)));
        Path log = Files.createTempFile(work, "operator-" + i, ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(environment);
        Process p =
            pb.redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        nodes.add(new Node(p, port[i], http[i], cluster[i], log));
      }
      for (Node n : nodes) awaitReady(n);
      return all;
    } catch (Exception | AssertionError e) {
      all.close();
      throw e;
    }
  }

  private static void awaitReady(Node n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (n.output().contains("operator ready")) return;
      if (!n.process().isAlive()) break;
      Thread.sleep(200); // polling the node's log for its ready line
    }
    throw new AssertionError("operator node on " + n.address() + " not ready:\n" + n.output());
  }

  Node node(int i) {
    return nodes.get(i);
  }

  /** SIGKILL: no goodbye to the cluster, no cleanup of its own. */
  void killHard(int i) throws InterruptedException {
    Process p = nodes.get(i).process();
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  String logs() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      b.append("--- operator node ").append(i).append(":\n").append(nodes.get(i).output());
    }
    return b.toString();
  }

  @Override
  public void close() {
    for (Node n : nodes) {
      n.process().descendants().forEach(ProcessHandle::destroyForcibly);
      n.process().destroyForcibly();
    }
    for (Node n : nodes) {
      try {
        n.process().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A port free now and below the kernel's ephemeral range: a port the kernel hands out for port 0
   * can be taken again, before the node binds it, as the source port of another connection (the
   * nodes' own Hazelcast connections start meanwhile), which a full run here hit once.
   */
  static int freePort() throws IOException {
    int ephemeralStart = 32768;
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      ephemeralStart = Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      // the usual default stands
    }
    int low = 10_000;
    int high = Math.max(low + 1000, ephemeralStart);
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int candidate = random.nextInt(low, high);
      try (ServerSocket s = new ServerSocket(candidate)) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port between " + low + " and " + high);
  }
}
