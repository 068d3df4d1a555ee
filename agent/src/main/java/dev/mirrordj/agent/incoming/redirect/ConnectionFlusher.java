package dev.mirrordj.agent.incoming.redirect;

/**
 * {@code agent.flush_connections}: deletes the conntrack entries of established connections to a
 * port, so their next packet is NATed afresh; the redirect then sends it to our listener, which
 * does not know the connection and resets it, and the client reconnects through the redirect.
 */
public final class ConnectionFlusher {

  private ConnectionFlusher() {}

  /** Returns the number of entries conntrack reported deleted (0 when there were none). */
  public static int flush(CommandRunner runner, int port) {
    int total = 0;
    for (String family : new String[] {"ipv4", "ipv6"}) {
      CommandRunner.Result r =
          runner.run(
              "conntrack",
              "-D",
              "-f",
              family,
              "-p",
              "tcp",
              "--orig-port-dst",
              String.valueOf(port));
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d+) flow entries have been deleted")
              .matcher(r.output());
      if (m.find()) {
        total += Integer.parseInt(m.group(1));
      }
    }
    return total;
  }
}
