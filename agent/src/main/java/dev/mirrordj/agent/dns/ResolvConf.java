package dev.mirrordj.agent.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of resolv.conf(5) a stub resolver needs: nameservers (max 3, default 127.0.0.1), search
 * list, ndots (default 1), timeout (default 5 s) and attempts (default 2).
 */
public record ResolvConf(
    List<InetAddress> nameservers, List<String> search, int ndots, int timeoutSec, int attempts) {

  public static ResolvConf parse(String text) {
    List<InetAddress> servers = new ArrayList<>();
    List<String> search = new ArrayList<>();
    int ndots = 1;
    int timeout = 5;
    int attempts = 2;
    for (String raw : text.split("\n")) {
      String line = raw.replaceAll("[#;].*", "").trim();
      String[] f = line.split("\\s+");
      if (f.length < 2) {
        continue;
      }
      switch (f[0]) {
        case "nameserver" -> {
          if (servers.size() < 3 && isIpLiteral(f[1])) {
            try {
              servers.add(InetAddress.getByName(f[1].replaceAll("%.*", "")));
            } catch (UnknownHostException ignored) {
              // not reachable: isIpLiteral checked the syntax
            }
          }
        }
        case "search", "domain" -> {
          search.clear();
          for (int i = 1; i < f.length; i++) {
            search.add(f[i].endsWith(".") ? f[i].substring(0, f[i].length() - 1) : f[i]);
          }
        }
        case "options" -> {
          for (int i = 1; i < f.length; i++) {
            ndots = option(f[i], "ndots:", ndots, 15);
            timeout = option(f[i], "timeout:", timeout, 30);
            attempts = option(f[i], "attempts:", attempts, 5);
          }
        }
        default -> {}
      }
    }
    if (servers.isEmpty()) {
      servers.add(InetAddress.getLoopbackAddress());
    }
    return new ResolvConf(
        List.copyOf(servers),
        List.copyOf(search),
        ndots,
        Math.max(1, timeout),
        Math.max(1, attempts));
  }

  private static int option(String opt, String prefix, int current, int max) {
    if (!opt.startsWith(prefix)) {
      return current;
    }
    try {
      return Math.min(max, Math.max(0, Integer.parseInt(opt.substring(prefix.length()))));
    } catch (NumberFormatException e) {
      return current;
    }
  }

  /** Only digits/dots or hex/colons: InetAddress.getByName must never do a lookup here. */
  static boolean isIpLiteral(String s) {
    return s.matches("[0-9.]+") || (s.contains(":") && s.matches("[0-9a-fA-F:.%a-zA-Z0-9]+"));
  }
}
