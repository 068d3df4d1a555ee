package dev.mirrordj.agent.incoming.redirect;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code agent.flush_connections}: deletes the conntrack entries of established connections to a
 * port, so their next packet is NATed afresh; the redirect then sends it to our listener, which
 * does not know the connection and resets it, and the client reconnects through the redirect.
 *
 * <p>The flush runs after the REDIRECT rule is in place (before it, a flushed connection would just
 * be tracked again towards the pod's app), so connections opened meanwhile were already redirected.
 * Deleting their entries too would NAT their next packet afresh and lose it: the client of a
 * connection that was being accepted waits for its whole timeout. So an entry goes only when its
 * reply does not come from our listener: a redirected connection's reply source port is the
 * listener's; any other reply source (the port itself, or a sidecar's port when the pod has NAT
 * rules of its own) is a connection the redirect has not taken yet. Connections the agent itself
 * opens to the pod's app (unmatched requests of a filtered steal) are never NATed, so deleting one
 * of their entries only makes the kernel track them again, unchanged.
 *
 * <p>conntrack cannot select "reply source port is not X", so the entries are listed first and
 * deleted by each other reply source port found; entries created between the two steps are
 * redirected ones (kept) or the agent's own (harmless, see above).
 */
public final class ConnectionFlusher {

  private static final Pattern REPLY_SPORT =
      Pattern.compile(
          "sport=\\d+\\s+dport=\\d+\\s+(?:\\[UNREPLIED\\]\\s+)?src=\\S+\\s+dst=\\S+\\s+sport=(\\d+)");
  private static final Pattern DELETED = Pattern.compile("(\\d+) flow entries have been deleted");

  private ConnectionFlusher() {}

  /**
   * Deletes the entries of connections to {@code port} that were not redirected to one of {@code
   * listenerPorts}; returns how many conntrack reported deleted.
   */
  public static int flush(CommandRunner runner, int port, Set<Integer> listenerPorts) {
    int total = 0;
    for (String family : new String[] {"ipv4", "ipv6"}) {
      CommandRunner.Result listed =
          runner.run(
              "conntrack",
              "-L",
              "-f",
              family,
              "-p",
              "tcp",
              "--orig-port-dst",
              String.valueOf(port));
      for (int replyPort : replySourcePorts(listed.output())) {
        if (listenerPorts.contains(replyPort)) {
          continue;
        }
        CommandRunner.Result r =
            runner.run(
                "conntrack",
                "-D",
                "-f",
                family,
                "-p",
                "tcp",
                "--orig-port-dst",
                String.valueOf(port),
                "--reply-port-src",
                String.valueOf(replyPort));
        Matcher m = DELETED.matcher(r.output());
        if (m.find()) {
          total += Integer.parseInt(m.group(1));
        }
      }
    }
    return total;
  }

  /** The distinct reply-direction source ports in {@code conntrack -L} output. */
  static Set<Integer> replySourcePorts(String conntrackList) {
    Set<Integer> ports = new TreeSet<>();
    for (String line : conntrackList.split("\n")) {
      Matcher m = REPLY_SPORT.matcher(line);
      if (m.find()) {
        ports.add(Integer.parseInt(m.group(1)));
      }
    }
    return ports;
  }
}
