package dev.mirrordj.agent.incoming.redirect;

/** The two iptables flavours a pod may use; rules must go where the pod's own rules are. */
public enum FirewallBackend {
  LEGACY("iptables-legacy", "ip6tables-legacy"),
  NFT("iptables-nft", "ip6tables-nft");

  private final String ipv4;
  private final String ipv6;

  FirewallBackend(String ipv4, String ipv6) {
    this.ipv4 = ipv4;
    this.ipv6 = ipv6;
  }

  /** The iptables command for the family. */
  public String command(boolean ipv6Family) {
    return ipv6Family ? ipv6 : ipv4;
  }

  /** The matching {@code -save} command, used to list rules. */
  public String saveCommand(boolean ipv6Family) {
    // iptables-legacy → iptables-legacy-save, ip6tables-nft → ip6tables-nft-save
    return command(ipv6Family) + "-save";
  }

  /**
   * The backend per {@code agent.nftables}: true → nft, false → legacy, null → detected: the
   * backend that already holds rules in the namespace (the pod's or a mesh's), else nft.
   */
  public static FirewallBackend choose(Boolean nftables, CommandRunner runner) {
    if (nftables != null) {
      return nftables ? NFT : LEGACY;
    }
    boolean legacyUsed = hasRules(runner, LEGACY);
    boolean nftUsed = hasRules(runner, NFT);
    return legacyUsed && !nftUsed ? LEGACY : NFT;
  }

  private static boolean hasRules(CommandRunner runner, FirewallBackend backend) {
    for (boolean v6 : new boolean[] {false, true}) {
      CommandRunner.Result r = runner.run(backend.saveCommand(v6));
      if (r.ok() && r.output().lines().anyMatch(l -> l.startsWith("-A "))) {
        return true;
      }
    }
    return false;
  }
}
