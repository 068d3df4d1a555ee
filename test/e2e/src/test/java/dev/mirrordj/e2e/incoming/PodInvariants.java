package dev.mirrordj.e2e.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What must hold after every fault: the pod is as it was before we came. No rule or chain of ours
 * in the pod's nat and filter tables (both iptables backends, both families), no process of ours
 * (run, its local agent) left for the pod, and the pod's own app answers a client in the cluster.
 */
final class PodInvariants {
  /** The fixed prefix of our chains. */
  static final String PREFIX = "MIRRORDJ";

  private static final List<String> SAVERS =
      List.of(
          "iptables-legacy-save",
          "ip6tables-legacy-save",
          "iptables-nft-save",
          "ip6tables-nft-save");

  private PodInvariants() {}

  /** Polls up to {@code seconds} for all invariants, then asserts each with what it saw. */
  static void assertUndisturbed(Cluster cluster, Pod pod, int port, String podBody, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (ourRules(pod).isEmpty()
          && ourProcesses(pod).isEmpty()
          && podAnswers(cluster, pod, port).startsWith(podBody)) {
        return;
      }
      Thread.sleep(200); // polling interval, not a wait standing in for the condition
    }
    assertEquals(List.of(), ourRules(pod), "rules of ours left in the pod's nat/filter tables");
    assertEquals(List.of(), ourProcesses(pod), "processes of ours left for the pod");
    String answer = podAnswers(cluster, pod, port);
    assertTrue(answer.startsWith(podBody), "the pod's own app answers: " + answer);
  }

  /** Lines of the pod's nat and filter tables that carry our prefix, each with its tool. */
  static List<String> ourRules(Pod pod) {
    List<String> found = new ArrayList<>();
    for (String saver : SAVERS) {
      for (String table : List.of("nat", "filter")) {
        String out = run("nsenter", "--net=" + pod.netnsPath(), saver, "-t", table);
        out.lines()
            .filter(l -> l.contains(PREFIX))
            .forEach(l -> found.add(saver + " " + table + ": " + l));
      }
    }
    return found;
  }

  /** Agents for this pod (run's local agent: guard and worker) still alive. */
  static List<String> ourProcesses(Pod pod) {
    String arg = "--target-pid " + pod.pid();
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              String cmd = p.info().commandLine().orElse("");
              return cmd.contains(" agent ") && (cmd.endsWith(arg) || cmd.contains(arg + " "));
            })
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .toList();
  }

  /** The body the pod's port answers a cluster client with, or curl's error. */
  static String podAnswers(Cluster cluster, Pod pod, int port) {
    ExecResult r = cluster.exec("curl", "-sS", "-m", "5", "http://" + pod.ip() + ":" + port + "/");
    return r.ok() ? r.stdout() : "curl failed: " + r.stderr().strip();
  }

  private static String run(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", argv) + " did not finish");
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
