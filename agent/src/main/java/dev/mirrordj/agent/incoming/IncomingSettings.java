package dev.mirrordj.agent.incoming;

/**
 * The agent's own incoming-traffic settings, from system properties the launcher sets from {@code
 * agent.*}: {@code mirrordj.agent.nftables} (true/false, unset = detect), {@code
 * mirrordj.agent.network_interface} (unset or empty = the target's default route), {@code
 * mirrordj.agent.flush_connections} (true/false, unset = as the client asks).
 *
 * @param nftables null: detect the firewall backend
 * @param networkInterface null: capture on the interface of the target's default route
 * @param flushConnections null: as each client asks
 */
public record IncomingSettings(
    Boolean nftables, String networkInterface, Boolean flushConnections) {

  public static IncomingSettings fromSystemProperties() {
    String nft = System.getProperty("mirrordj.agent.nftables");
    String iface = System.getProperty("mirrordj.agent.network_interface", "").trim();
    String flush = System.getProperty("mirrordj.agent.flush_connections");
    return new IncomingSettings(
        nft == null ? null : Boolean.valueOf(nft),
        iface.isEmpty() ? null : iface,
        flush == null ? null : Boolean.valueOf(flush));
  }

  /**
   * {@code agent.flush_connections} for one steal subscription: the agent's own setting wins;
   * without one, the client's request decides.
   */
  public boolean flushConnections(boolean requestedByClient) {
    return flushConnections == null ? requestedByClient : flushConnections;
  }
}
