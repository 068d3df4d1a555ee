package dev.mirrordj.e2e.operator;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session start through the operator on a target whose agent already runs, side by side with the
 * direct path to the same agent ({@code connect_tcp}): {@code run -- /bin/true} wall time, rounds
 * alternating, medians and their difference printed. Not part of the default test run (the name
 * does not end in Test): {@code -Dtest=OperatorSessionStartBench}. It prints, it does not assert:
 * machines here are too noisy for timing gates.
 */
class OperatorSessionStartBench {
  private static final int ROUNDS = 7;

  @TempDir Path work;

  @Test
  void sessionStartThroughTheOperatorVersusDirect() throws Exception {
    Root.requireRoot();
    try (Cluster cluster = Cluster.start()) {
      int port = OperatorNodes.freePort();
      Pod pod = cluster.addPod(PodSpec.named("opbench").httpServer(port, "pod"));
      try (OperatorNodes nodes = OperatorNodes.start(work, 1);
          UserRun holder = holder(nodes, pod)) {
        String agent = awaitAgentAddress(nodes);
        Path viaOperator = config("operator", pod, "");
        Path direct = config("direct", pod, ", \"connect_tcp\": \"" + agent + "\"");
        List<Long> op = new ArrayList<>(), dir = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
          op.add(time(viaOperator, Map.of("MIRRORD_OPERATOR_ADDRESS", nodes.node(0).address())));
          dir.add(time(direct, Map.of()));
        }
        long opMedian = median(op), dirMedian = median(dir);
        // one JSON line per result, as the other benchmarks print them
        System.out.println(
            String.format(
                java.util.Locale.ROOT,
                "{\"id\": \"OP.session-start.true\", \"variant\": \"operator\","
                    + " \"median_ms\": %d, \"rounds_ms\": %s}%n"
                    + "{\"id\": \"OP.session-start.true\", \"variant\": \"direct\","
                    + " \"median_ms\": %d, \"rounds_ms\": %s}%n"
                    + "{\"id\": \"OP.session-start.true\", \"variant\": \"operator-minus-direct\","
                    + " \"median_ms\": %d, \"ratio\": %.2f, \"load\": \"%s\"}",
                opMedian,
                op,
                dirMedian,
                dir,
                opMedian - dirMedian,
                (double) opMedian / dirMedian,
                Files.readString(Path.of("/proc/loadavg")).trim()));
        if (!holder.alive())
          throw new AssertionError("the holder session ended:\n" + holder.output());
      }
    }
  }

  private UserRun holder(OperatorNodes nodes, Pod pod) throws Exception {
    Path cfg = config("holder", pod, "");
    return UserRun.start(
        work,
        cfg,
        Map.of("MIRRORD_OPERATOR_ADDRESS", nodes.node(0).address()),
        List.of("/bin/sh", "-c", "sleep 600"));
  }

  private static String awaitAgentAddress(OperatorNodes nodes) throws InterruptedException {
    Pattern relayed = Pattern.compile("relayed to the agent of pid/\\d+ \\(([0-9.]+:\\d+)\\)");
    for (int i = 0; i < 600; i++) {
      Matcher m = relayed.matcher(nodes.logs());
      if (m.find()) return m.group(1);
      Thread.sleep(200); // polling the node's log
    }
    throw new AssertionError("no agent within 120 s:\n" + nodes.logs());
  }

  private Path config(String name, Pod pod, String extra) throws Exception {
    Path cfg = work.resolve(name + ".json");
    Files.writeString(
        cfg,
        "{\"target\": \"pid/"
            + pod.pid()
            + "\""
            + extra
            + ", \"feature\": {\"network\": {\"incoming\": \"off\"}}}");
    return cfg;
  }

  private long time(Path cfg, Map<String, String> env) throws Exception {
    long start = System.nanoTime();
    try (UserRun run = UserRun.start(work, cfg, env, List.of("/bin/true"))) {
      if (!run.endsWithin(120_000) || run.exitCode() != 0) {
        throw new AssertionError("run failed:\n" + run.output());
      }
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
