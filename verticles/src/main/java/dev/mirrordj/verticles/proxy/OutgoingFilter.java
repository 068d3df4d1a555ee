package dev.mirrordj.verticles.proxy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One list of feature.network.outgoing.filter entries: {@code
 * [protocol://][name|address|subnet/mask][:port]}. {@code 0.0.0.0} or an empty host means any
 * address, port 0 or no port means any port.
 */
final class OutgoingFilter {
  /** Protocols an entry can name. */
  enum Proto {
    ANY,
    TCP,
    UDP
  }

  private record Entry(Proto proto, String name, byte[] net, int prefix, int port) {}

  private static final Pattern ENTRY =
      Pattern.compile(
          "^(?:(tcp|udp)://)?(\\[[0-9a-fA-F:.]+\\]|[^:/\\[\\]]*)(?:/(\\d{1,3}))?(?::(\\d{1,5}))?$",
          Pattern.CASE_INSENSITIVE);

  private final List<Entry> entries = new ArrayList<>();

  OutgoingFilter(List<String> specs, String field) {
    for (String spec : specs) entries.add(parse(spec.trim(), field));
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  private static Entry parse(String spec, String field) {
    Matcher m = ENTRY.matcher(spec);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          field
              + ": '"
              + spec
              + "' is not accepted; use [tcp://|udp://][name|address|subnet/mask][:port], e.g. tcp://1.1.1.0/24:1337");
    }
    Proto proto =
        m.group(1) == null ? Proto.ANY : Proto.valueOf(m.group(1).toUpperCase(Locale.ROOT));
    String host = m.group(2);
    if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
    int port = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
    if (port > 65535)
      throw new IllegalArgumentException(
          field + ": port " + port + " in '" + spec + "' is above 65535");
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::"))
      return new Entry(proto, null, null, 0, port);
    byte[] ip = literal(host);
    if (ip == null) {
      if (m.group(3) != null)
        throw new IllegalArgumentException(field + ": '" + spec + "' puts a mask on a name");
      return new Entry(proto, host.toLowerCase(Locale.ROOT), null, 0, port);
    }
    int prefix = m.group(3) == null ? ip.length * 8 : Integer.parseInt(m.group(3));
    if (prefix > ip.length * 8)
      throw new IllegalArgumentException(
          field + ": mask /" + prefix + " in '" + spec + "' is too long");
    return new Entry(proto, null, ip, prefix, port);
  }

  private static byte[] literal(String host) {
    if (!host.matches("[0-9.]+") && !host.contains(":")) return null;
    try {
      return InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * Whether any entry matches. {@code names} are the hostnames the address was resolved from
   * (remote DNS answers); "localhost" entries also match loopback addresses.
   */
  boolean matches(Proto proto, InetAddress address, int port, Set<String> names) {
    for (Entry e : entries) {
      if (e.proto != Proto.ANY && e.proto != proto) continue;
      if (e.port != 0 && e.port != port) continue;
      if (e.name != null) {
        boolean byName =
            names.contains(e.name) || (e.name.equals("localhost") && address.isLoopbackAddress());
        if (!byName) continue;
      } else if (e.net != null && !inSubnet(address, e.net, e.prefix)) {
        continue;
      }
      return true;
    }
    return false;
  }

  private static boolean inSubnet(InetAddress address, byte[] net, int prefix) {
    byte[] a = address.getAddress();
    if (a.length != net.length) return false;
    int bits = a.length * 8;
    BigInteger mask =
        prefix == 0
            ? BigInteger.ZERO
            : BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE).shiftLeft(bits - prefix);
    return new BigInteger(1, a).and(mask).equals(new BigInteger(1, net).and(mask));
  }
}
