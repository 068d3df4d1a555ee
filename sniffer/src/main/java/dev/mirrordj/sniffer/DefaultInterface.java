package dev.mirrordj.sniffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The default of {@code agent.network_interface}: the interface of the target's default route, else
 * {@code eth0} when the target's namespace has one, else every interface ({@code any}, Linux cooked
 * capture) — a pod with neither a default route nor an {@code eth0} must still be mirrored. Reads
 * the target's {@code /proc/PID/net/route} (IPv4), then {@code /proc/PID/net/ipv6_route} when there
 * is no IPv4 default. Routes that are not up, that reject (unreachable/prohibit/blackhole, shown on
 * {@code *} or {@code lo}), or that are not a default (destination and prefix 0) do not count;
 * among several defaults the lowest metric wins.
 */
public final class DefaultInterface {

  public static final String FALLBACK = "eth0";

  /** libpcap's pseudo-device that captures on every interface of the namespace. */
  public static final String EVERY_INTERFACE = "any";

  /**
   * The chosen capture device and why, for the agent's log.
   *
   * @param name the device to open
   * @param reason how it was chosen, in words
   */
  public record Choice(String name, String reason) {}

  private static final int RTF_UP = 0x0001;
  private static final int RTF_REJECT = 0x0200;

  private DefaultInterface() {}

  /** The capture interface for the process {@code pid}'s network namespace. */
  public static String ofProcess(long pid) {
    return choose(pid).name();
  }

  /** The capture interface for the process {@code pid}'s network namespace, with the reason. */
  public static Choice choose(long pid) {
    Path net = Path.of("/proc", Long.toString(pid), "net");
    String v4 = fromRoute(net.resolve("route"));
    if (v4 != null) {
      return new Choice(v4, "the target's IPv4 default route");
    }
    String v6 = fromIpv6Route(net.resolve("ipv6_route"));
    if (v6 != null) {
      return new Choice(v6, "the target's IPv6 default route");
    }
    if (interfaces(net.resolve("dev")).contains(FALLBACK)) {
      return new Choice(FALLBACK, "no default route in the target; its eth0");
    }
    return new Choice(
        EVERY_INTERFACE, "no default route and no eth0 in the target; every interface");
  }

  /** The interfaces of the process {@code pid}'s network namespace (empty when unknown). */
  public static List<String> interfacesOf(long pid) {
    return interfaces(Path.of("/proc", Long.toString(pid), "net", "dev"));
  }

  /** Interface names in a {@code /proc/PID/net/dev} table (two header lines, then "name: ..."). */
  static List<String> interfaces(Path procNetDev) {
    try {
      return Files.readAllLines(procNetDev).stream()
          .skip(2)
          .map(l -> l.trim())
          .filter(l -> l.indexOf(':') > 0)
          .map(l -> l.substring(0, l.indexOf(':')).trim())
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of(); // no such process: nothing known about its interfaces
    }
  }

  /** The default-route interface in an IPv4 route table file, else {@link #FALLBACK}. */
  public static String of(Path procNetRoute) {
    String found = fromRoute(procNetRoute);
    return found != null ? found : FALLBACK;
  }

  /**
   * Columns: Iface Destination Gateway Flags RefCnt Use Metric Mask ... (hex, header line first).
   */
  static String fromRoute(Path file) {
    String best = null;
    long bestMetric = Long.MAX_VALUE;
    for (String[] f : rows(file, true)) {
      if (f.length < 8 || !f[1].equals("00000000") || !f[7].equals("00000000")) {
        continue;
      }
      long metric = hex(f[6]);
      if (usable(f[0], hex(f[3])) && metric < bestMetric) {
        best = f[0];
        bestMetric = metric;
      }
    }
    return best;
  }

  /** Columns: dest prefixlen src srcprefixlen nexthop metric refcnt use flags iface (no header). */
  static String fromIpv6Route(Path file) {
    String best = null;
    long bestMetric = Long.MAX_VALUE;
    for (String[] f : rows(file, false)) {
      if (f.length < 10 || !f[0].matches("0{32}") || !f[1].equals("00")) {
        continue;
      }
      long metric = hex(f[5]);
      if (usable(f[9], hex(f[8])) && metric < bestMetric) {
        best = f[9];
        bestMetric = metric;
      }
    }
    return best;
  }

  private static boolean usable(String iface, long flags) {
    return (flags & RTF_UP) != 0
        && (flags & RTF_REJECT) == 0
        && !iface.equals("*")
        && !iface.equals("lo");
  }

  private static List<String[]> rows(Path file, boolean header) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.subList(header ? Math.min(1, lines.size()) : 0, lines.size()).stream()
          .map(l -> l.trim().split("\\s+"))
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of(); // no such process or table: no default route known
    }
  }

  private static long hex(String s) {
    try {
      return Long.parseLong(s, 16);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
