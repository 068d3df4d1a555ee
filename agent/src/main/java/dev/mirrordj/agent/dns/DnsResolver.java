package dev.mirrordj.agent.dns;

import dev.mirrordj.agent.fs.ErrnoException;
import dev.mirrordj.agent.fs.PathResolver;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Lookups;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stub resolver that behaves like the target's libc: /etc/hosts first, then the nameservers of
 * the target's resolv.conf with its search list and ndots. Blocking; it must run on a thread in the
 * target's network namespace, because that is where its UDP sockets are created.
 */
public final class DnsResolver {
  /** The outcome of a forward lookup: an EAI status and the addresses found. */
  public record Result(int status, String canonicalName, List<InetAddress> addresses) {}

  private final PathResolver paths;

  /**
   * @param paths resolves /etc/resolv.conf and /etc/hosts inside the target's root
   */
  public DnsResolver(PathResolver paths) {
    this.paths = paths;
  }

  /**
   * @param family 0 any, 4 IPv4 only, 6 IPv6 only
   */
  public Result resolve(String name, int family) throws IOException {
    if (name.isEmpty() || name.length() > 253) {
      return new Result(Errno.EAI_NONAME, "", List.of());
    }
    if (ResolvConf.isIpLiteral(name)) {
      InetAddress literal = InetAddress.getByName(name);
      return accepts(literal, family)
          ? new Result(Lookups.EAI_OK, name, List.of(literal))
          : new Result(Errno.EAI_FAMILY, "", List.of());
    }
    List<InetAddress> fromHosts =
        hosts().lookup(name).stream().filter(a -> accepts(a, family)).toList();
    if (!fromHosts.isEmpty()) {
      return new Result(Lookups.EAI_OK, name, fromHosts);
    }
    ResolvConf conf = resolvConf();
    boolean sawTimeout = false;
    for (String candidate : candidates(name, conf)) {
      List<InetAddress> found = new ArrayList<>();
      for (int qtype :
          family == 4
              ? new int[] {DnsWire.TYPE_A}
              : family == 6
                  ? new int[] {DnsWire.TYPE_AAAA}
                  : new int[] {DnsWire.TYPE_A, DnsWire.TYPE_AAAA}) {
        DnsWire.Response r = ask(conf, candidate, qtype);
        if (r == null) {
          sawTimeout = true;
          continue;
        }
        for (DnsWire.Answer a : r.answers()) {
          if (a.address() != null) {
            found.add(InetAddress.getByAddress(candidate, a.address()));
          }
        }
      }
      if (!found.isEmpty()) {
        return new Result(Lookups.EAI_OK, candidate, found);
      }
      // NXDOMAIN or no data for this candidate: try the next one of the search list
    }
    return new Result(sawTimeout ? Errno.EAI_AGAIN : Errno.EAI_NONAME, "", List.of());
  }

  /** PTR lookup: hosts file first, then the nameservers. Null name means not found. */
  public Result reverse(InetAddress address) throws IOException {
    String fromHosts = hosts().reverse(address);
    if (fromHosts != null) {
      return new Result(Lookups.EAI_OK, fromHosts, List.of(address));
    }
    DnsWire.Response r = ask(resolvConf(), ptrName(address), DnsWire.TYPE_PTR);
    if (r == null) {
      return new Result(Errno.EAI_AGAIN, "", List.of());
    }
    for (DnsWire.Answer a : r.answers()) {
      if (a.type() == DnsWire.TYPE_PTR) {
        return new Result(Lookups.EAI_OK, a.name(), List.of(address));
      }
    }
    return new Result(Errno.EAI_NONAME, "", List.of());
  }

  private static boolean accepts(InetAddress a, int family) {
    return family == 0 || (family == 4) == (a instanceof Inet4Address);
  }

  /** Search-list order as glibc does it: as-is first when the name has at least ndots dots. */
  static List<String> candidates(String name, ResolvConf conf) {
    if (name.endsWith(".")) {
      return List.of(name.substring(0, name.length() - 1));
    }
    long dots = name.chars().filter(c -> c == '.').count();
    List<String> out = new ArrayList<>();
    if (dots >= conf.ndots()) {
      out.add(name);
    }
    for (String domain : conf.search()) {
      out.add(name + "." + domain);
    }
    if (dots < conf.ndots()) {
      out.add(name);
    }
    return out;
  }

  /** First answer from any nameserver (in order, for each attempt), or null if none answered. */
  private DnsWire.Response ask(ResolvConf conf, String name, int qtype) throws IOException {
    for (int attempt = 0; attempt < conf.attempts(); attempt++) {
      for (InetAddress server : conf.nameservers()) {
        try {
          return DnsExchange.ask(
              new java.net.InetSocketAddress(server, 53), name, qtype, conf.timeoutSec() * 1000L);
        } catch (SocketTimeoutException
            | IllegalArgumentException
            | java.net.PortUnreachableException
            | java.net.ConnectException e) {
          // try the next server, as libc does
        } catch (IOException e) {
          if (e.getMessage() == null || !e.getMessage().contains("unreachable")) {
            throw e;
          }
        }
      }
    }
    return null;
  }

  private ResolvConf resolvConf() {
    ResolvConf conf = ResolvConf.parse(readOrEmpty("/etc/resolv.conf"));
    // agent.dns.timeout/attempts arrive as these variables (set by the launcher) and win over
    // resolv.conf
    int timeout = envInt("MIRRORD_AGENT_DNS_TIMEOUT", conf.timeoutSec());
    int attempts = envInt("MIRRORD_AGENT_DNS_ATTEMPTS", conf.attempts());
    return new ResolvConf(conf.nameservers(), conf.search(), conf.ndots(), timeout, attempts);
  }

  private static int envInt(String name, int fallback) {
    String v = System.getenv(name);
    try {
      return v == null || v.isBlank() ? fallback : Math.max(1, Integer.parseInt(v.trim()));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private HostsFile hosts() {
    return HostsFile.parse(readOrEmpty("/etc/hosts"));
  }

  private String readOrEmpty(String podPath) {
    try {
      return Files.readString(Path.of(paths.resolve(podPath, true)));
    } catch (IOException | ErrnoException e) {
      return "";
    }
  }

  static String ptrName(InetAddress a) {
    byte[] b = a.getAddress();
    StringBuilder sb = new StringBuilder();
    if (b.length == 4) {
      for (int i = 3; i >= 0; i--) {
        sb.append(b[i] & 0xff).append('.');
      }
      return sb.append("in-addr.arpa").toString();
    }
    for (int i = 15; i >= 0; i--) {
      sb.append(Integer.toHexString(b[i] & 0xf))
          .append('.')
          .append(Integer.toHexString((b[i] >> 4) & 0xf))
          .append('.');
    }
    return sb.append("ip6.arpa").toString();
  }
}
