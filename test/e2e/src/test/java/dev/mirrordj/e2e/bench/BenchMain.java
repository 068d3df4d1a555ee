package dev.mirrordj.e2e.bench;

import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs benchmarks and prints one JSON line per result on stdout (logs go to stderr). Usage: {@code
 * BenchMain [--rounds N] [--jar PATH] B5 B6}. Needs root (harness namespaces).
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    int rounds = 5;
    Path jar = Path.of("cli/target/mirrord-fat.jar");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        case "B5", "B6" -> ids.add(args[i]);
        default ->
            fail("unknown argument " + args[i] + " (accepted: --rounds N, --jar PATH, B5, B6)");
      }
    }
    if (ids.isEmpty()) {
      ids = List.of("B5", "B6");
    }
    if (!Root.isRoot()) {
      fail("benchmarks need root (network namespaces)");
    }
    if (!Files.isRegularFile(jar)) {
      fail(jar + " is missing: build it with `mvn -B -q -o -DskipTests package`");
    }
    String env =
        "\"kernel\": \""
            + System.getProperty("os.version")
            + "\", \"java\": \""
            + System.getProperty("java.version")
            + "\", \"cpus\": "
            + Runtime.getRuntime().availableProcessors();
    final int n = rounds;
    for (String id : ids) {
      List<JsonLine> lines =
          switch (id) {
            case "B5" -> {
              try (BenchEnv e = new BenchEnv(jar, PodSpec.named("client"))) {
                yield withAgentOutput(e, () -> new B5OutgoingTunnel(e).run(n));
              }
            }
            case "B6" -> {
              try (BenchEnv e = new BenchEnv(jar, B6RemoteFileRead.podSpec());
                  PlainFileStreamer plain = new PlainFileStreamer(e.pod.root())) {
                yield withAgentOutput(e, () -> new B6RemoteFileRead(e, plain).run(n));
              }
            }
            default -> throw new IllegalStateException(id);
          };
      for (JsonLine l : lines) {
        String s = l.toString();
        System.out.println(s.substring(0, s.length() - 1) + ", " + env + "}");
      }
    }
    System.exit(0);
  }

  private interface Bench {
    List<JsonLine> run() throws Exception;
  }

  /** On failure, shows what the agent said: a benchmark that broke the agent is a finding. */
  private static List<JsonLine> withAgentOutput(BenchEnv e, Bench bench) throws Exception {
    try {
      return bench.run();
    } catch (Exception | Error failure) {
      System.err.println(
          "bench: failed; agent alive="
              + e.agent.process().isAlive()
              + ", agent output:\n"
              + e.agent.output());
      throw failure;
    }
  }

  private static void fail(String why) {
    System.err.println("bench: " + why);
    System.exit(2);
  }
}
