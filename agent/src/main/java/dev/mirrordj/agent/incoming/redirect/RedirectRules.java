package dev.mirrordj.agent.incoming.redirect;

import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's REDIRECT rules in the target's {@code nat} table, IPv4 and IPv6.
 *
 * <p>All rules live in our own chains ({@link #PREFIX}{@code _PREROUTING} for traffic arriving at
 * the pod, {@code _OUTPUT} for connections made inside the pod), reached by one jump from the
 * built-in chain, so removal is exact and leftovers are recognisable by name. The OUTPUT chain
 * first returns for the agent's own group id, so the agent's pass-through connections to the
 * original destination are not redirected back to itself; without a dedicated group id (0) the
 * OUTPUT chain is not installed and only traffic from outside the pod is redirected. Chains are
 * installed with the first port. A port's REDIRECT rules go with its last subscription; the chains
 * stay until {@link #close}, holding one inert REDIRECT rule ({@code --dport 0}, never matches):
 * when a namespace's last REDIRECT rule is deleted the kernel drops the NAT bindings of connections
 * already redirected (both backends, verified), so a stolen exchange still in flight would lose its
 * answer and be reset. The inert rule keeps them alive. Blocking; not thread-safe.
 */
public final class RedirectRules implements AutoCloseable {

  public static final String PREFIX = "MIRRORDJ";
  static final String PREROUTING_CHAIN = PREFIX + "_PREROUTING";
  static final String OUTPUT_CHAIN = PREFIX + "_OUTPUT";
  private static final Logger log = LoggerFactory.getLogger(RedirectRules.class);

  private final CommandRunner runner;
  private final FirewallBackend backend;
  private final int listenerPortV4;
  private final int listenerPortV6;
  private final int agentGid;
  private final Set<Integer> ports = new LinkedHashSet<>();
  private boolean installed;

  /**
   * @param listenerPortV4 where IPv4 connections are redirected to (the agent's listener)
   * @param listenerPortV6 where IPv6 connections are redirected to; 0 leaves IPv6 alone
   * @param agentGid group id of the agent worker, excluded from OUTPUT redirection; 0 = none
   */
  public RedirectRules(
      CommandRunner runner,
      FirewallBackend backend,
      int listenerPortV4,
      int listenerPortV6,
      int agentGid) {
    this.runner = runner;
    this.backend = backend;
    this.listenerPortV4 = listenerPortV4;
    this.listenerPortV6 = listenerPortV6;
    this.agentGid = agentGid;
  }

  public FirewallBackend backend() {
    return backend;
  }

  public synchronized Set<Integer> ports() {
    return Set.copyOf(ports);
  }

  /** Redirects the pod's TCP port to the agent (idempotent). */
  public synchronized void addPort(int port) {
    if (ports.contains(port)) {
      return;
    }
    if (!installed) {
      install();
    }
    for (boolean v6 : families()) {
      for (String chain : chains()) {
        iptables(
            v6,
            "-t",
            "nat",
            "-A",
            chain,
            "-p",
            "tcp",
            "--dport",
            String.valueOf(port),
            "-j",
            "REDIRECT",
            "--to-ports",
            String.valueOf(v6 ? listenerPortV6 : listenerPortV4));
      }
    }
    ports.add(port);
    log.info(
        "redirecting port {} to the agent ({}, listener {}/{})",
        port,
        backend,
        listenerPortV4,
        listenerPortV6);
  }

  /**
   * {@code agent.flush_connections}: resets connections to the port that were established before
   * the redirect, so they reconnect through it. Returns how many conntrack entries went.
   */
  public int flushConnections(int port) {
    int n =
        ConnectionFlusher.flush(
            runner,
            port,
            new java.util.HashSet<>(java.util.List.of(listenerPortV4, listenerPortV6)));
    log.info("flushed {} established connection(s) to port {}", n, port);
    return n;
  }

  /**
   * Stops redirecting the port (new connections reach the pod's app again); chains stay until
   * {@link #close}.
   */
  public synchronized void removePort(int port) {
    if (!ports.remove(port)) {
      return;
    }
    for (boolean v6 : families()) {
      for (String chain : chains()) {
        runner.run(
            backend.command(v6),
            "-t",
            "nat",
            "-D",
            chain,
            "-p",
            "tcp",
            "--dport",
            String.valueOf(port),
            "-j",
            "REDIRECT",
            "--to-ports",
            String.valueOf(v6 ? listenerPortV6 : listenerPortV4));
      }
    }
  }

  /** Removes everything we installed. Safe to call more than once. */
  @Override
  public synchronized void close() {
    ports.clear();
    uninstall();
  }

  private void install() {
    for (boolean v6 : families()) {
      iptables(v6, "-t", "nat", "-N", PREROUTING_CHAIN);
      // inert: keeps the kernel's NAT bindings of redirected connections when port rules go (see
      // above)
      iptables(
          v6,
          "-t",
          "nat",
          "-A",
          PREROUTING_CHAIN,
          "-p",
          "tcp",
          "--dport",
          "0",
          "-j",
          "REDIRECT",
          "--to-ports",
          String.valueOf(v6 ? listenerPortV6 : listenerPortV4));
      iptables(v6, "-t", "nat", "-I", "PREROUTING", "1", "-j", PREROUTING_CHAIN);
      if (agentGid != 0) {
        iptables(v6, "-t", "nat", "-N", OUTPUT_CHAIN);
        iptables(
            v6,
            "-t",
            "nat",
            "-A",
            OUTPUT_CHAIN,
            "-m",
            "owner",
            "--gid-owner",
            String.valueOf(agentGid),
            "-j",
            "RETURN");
        iptables(v6, "-t", "nat", "-I", "OUTPUT", "1", "-j", OUTPUT_CHAIN);
      }
    }
    installed = true;
  }

  private void uninstall() {
    if (installed) {
      LeftoverRules.remove(runner, backend);
      installed = false;
      log.info("removed redirect chains ({})", backend);
    }
  }

  private boolean[] families() {
    return listenerPortV6 != 0 ? new boolean[] {false, true} : new boolean[] {false};
  }

  private String[] chains() {
    return agentGid != 0
        ? new String[] {PREROUTING_CHAIN, OUTPUT_CHAIN}
        : new String[] {PREROUTING_CHAIN};
  }

  private void iptables(boolean v6, String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = backend.command(v6);
    System.arraycopy(args, 0, cmd, 1, args.length);
    runner.runChecked(cmd);
  }
}
