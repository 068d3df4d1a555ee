package dev.mirrordj.config;

import dev.mirrordj.config.bind.ConfigValueException;
import java.util.Locale;
import java.util.Optional;

/**
 * One entry of {@code feature.network.outgoing.filter}: {@code
 * [protocol://][name|address|subnet/mask][:port]}, e.g. {@code tcp://1.1.1.0/24:1337}, {@code
 * 1.1.5.0/24}, {@code google.com}, {@code :53}, {@code [::1]:80}. Protocol is {@code tcp} or {@code
 * udp} (absent: both); port 0 or absent: any.
 *
 * @param protocol "tcp" or "udp", or empty for both
 * @param host a host name or an IP address, or empty for any
 * @param prefixLength the subnet mask length when {@code host} is a subnet address
 * @param port the port, or empty for any
 */
public record OutgoingFilterEntry(
    Optional<String> protocol,
    Optional<String> host,
    Optional<Integer> prefixLength,
    Optional<Integer> port) {

  static final String SYNTAX =
      "expected [protocol://][name|address|subnet/mask][:port] with protocol tcp or udp, "
          + "e.g. \"tcp://1.1.1.0/24:1337\", \"1.1.5.0/24\", \"google.com\", \":53\"";

  /** Parses one entry; the exception message says what is accepted. */
  public static OutgoingFilterEntry parse(String raw) throws ConfigValueException {
    String rest = raw.trim();
    Optional<String> protocol = Optional.empty();
    int scheme = rest.indexOf("://");
    if (scheme >= 0) {
      String p = rest.substring(0, scheme).toLowerCase(Locale.ROOT);
      if (!p.equals("tcp") && !p.equals("udp")) {
        throw new ConfigValueException(
            "unknown protocol '" + rest.substring(0, scheme) + "'; " + SYNTAX);
      }
      protocol = Optional.of(p);
      rest = rest.substring(scheme + 3);
    }
    String hostPart;
    Optional<Integer> port = Optional.empty();
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new ConfigValueException("unclosed '[' in IPv6 address; " + SYNTAX);
      }
      hostPart = rest.substring(1, close);
      String after = rest.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new ConfigValueException("unexpected '" + after + "' after the address; " + SYNTAX);
        }
        port = Optional.of(port(after.substring(1)));
      }
    } else {
      long colons = rest.chars().filter(c -> c == ':').count();
      if (colons == 1) {
        int colon = rest.indexOf(':');
        hostPart = rest.substring(0, colon);
        port = Optional.of(port(rest.substring(colon + 1)));
      } else {
        hostPart = rest; // no port, or a bare IPv6 address
      }
    }
    if (hostPart.isEmpty() && port.isEmpty()) {
      throw new ConfigValueException("empty filter entry; " + SYNTAX);
    }
    Optional<Integer> prefix = Optional.empty();
    if (hostPart.contains("/")) {
      int slash = hostPart.indexOf('/');
      String address = hostPart.substring(0, slash);
      boolean v6 = address.contains(":");
      if (!(v6 ? isIpv6(address) : isIpv4(address))) {
        throw new ConfigValueException(
            "a subnet needs an IP address before '/', got '" + address + "'; " + SYNTAX);
      }
      prefix = Optional.of(number(hostPart.substring(slash + 1), v6 ? 128 : 32, "subnet mask"));
      hostPart = address;
    } else if (!hostPart.isEmpty()
        && !isIpv4(hostPart)
        && !isIpv6(hostPart)
        && !isHostName(hostPart)) {
      throw new ConfigValueException(
          "'" + hostPart + "' is neither a host name nor an IP address; " + SYNTAX);
    }
    return new OutgoingFilterEntry(
        protocol, hostPart.isEmpty() ? Optional.empty() : Optional.of(hostPart), prefix, port);
  }

  private static int port(String text) throws ConfigValueException {
    return number(text, 65535, "port");
  }

  private static int number(String text, int max, String what) throws ConfigValueException {
    if (!text.matches("[0-9]{1,6}") || Integer.parseInt(text) > max) {
      throw new ConfigValueException(
          "invalid " + what + " '" + text + "' (0-" + max + "); " + SYNTAX);
    }
    return Integer.parseInt(text);
  }

  private static boolean isIpv4(String s) {
    String[] octets = s.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String o : octets) {
      if (!o.matches("[0-9]{1,3}") || Integer.parseInt(o) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String s) {
    return s.contains(":") && s.matches("[0-9A-Fa-f:.]+") && s.length() >= 2;
  }

  private static boolean isHostName(String s) {
    return s.matches(
            "[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?")
        && !s.matches("[0-9.]+");
  }
}
