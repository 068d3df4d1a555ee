package dev.mirrordj.e2e;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Looks at a pod's firewall from outside, as an operator would: every nat table of both iptables
 * backends (legacy and nft) and both families, and reports the lines that carry our chain prefix.
 * Also fetches the pod's HTTP answer from the cluster namespace (where the pod's real clients
 * live).
 */
final class PodFirewall {
  /**
   * The fixed prefix of our chains (agent's RedirectRules.PREFIX; the agent module is not a
   * dependency here).
   */
  static final String PREFIX = "MIRRORDJ";

  private static final List<String> SAVERS =
      List.of(
          "iptables-legacy-save",
          "ip6tables-legacy-save",
          "iptables-nft-save",
          "ip6tables-nft-save");

  private PodFirewall() {}

  /**
   * Lines of the pod's nat tables that mention our prefix, each prefixed with the tool that listed
   * it.
   */
  static List<String> ourRules(Pod pod) {
    List<String> found = new ArrayList<>();
    for (String saver : SAVERS) {
      String out = run("nsenter", "--net=" + pod.netnsPath(), saver, "-t", "nat");
      out.lines().filter(l -> l.contains(PREFIX)).forEach(l -> found.add(saver + ": " + l));
    }
    return found;
  }

  /** The body the pod's port answers with to a client in the cluster namespace, or curl's error. */
  static String httpFromCluster(Cluster cluster, Pod pod, int port) {
    var r = cluster.exec("curl", "-sS", "--max-time", "5", "http://" + pod.ip() + ":" + port + "/");
    return r.ok() ? r.stdout() : "curl failed: " + r.stderr().strip();
  }

  /**
   * Sends a signal with kill(1): Java can only send SIGTERM/SIGKILL, and a crash test needs SIGSTOP
   * too.
   */
  static void signal(String sig, long... pids) {
    List<String> argv = new ArrayList<>(List.of("kill", "-" + sig));
    for (long p : pids) {
      argv.add(Long.toString(p));
    }
    run(argv.toArray(String[]::new));
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
