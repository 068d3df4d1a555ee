package dev.mirrordj.sys;

/**
 * Whether this process may do what only root may (namespaces, iptables, pcap, ptrace of other
 * users' processes). Decided by the effective user id, as the kernel decides: a login name says
 * nothing under sudo with a preserved environment, in a container with a renamed uid 0, or for a
 * setuid launcher.
 */
public final class Privileges {
  private Privileges() {}

  public static boolean effectiveRoot() {
    return LibC.INSTANCE.geteuid() == 0;
  }
}
