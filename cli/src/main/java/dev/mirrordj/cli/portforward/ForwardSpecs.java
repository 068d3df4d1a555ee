package dev.mirrordj.cli.portforward;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The mappings of {@code port-forward}, parsed from the command line with errors that say which
 * form is accepted.
 */
public final class ForwardSpecs {
  private ForwardSpecs() {}

  /**
   * {@code -L [local_port:]remote_host:remote_port}: a local listener whose connections are opened
   * from the pod. Without {@code local_port} the remote port is used; 0 picks a free one.
   *
   * @param remoteHost a name (resolved by the pod's DNS) or an address ({@code [v6]} allowed)
   */
  public record Local(int localPort, String remoteHost, int remotePort) {
    /** How the user wrote the destination. */
    public String destination() {
      return (remoteHost.contains(":") ? "[" + remoteHost + "]" : remoteHost) + ":" + remotePort;
    }
  }

  /**
   * {@code -R [remote_port:]local_port}: the pod's incoming traffic on {@code remotePort}, mirrored
   * or stolen as the configuration says, delivered to {@code localPort} on this machine.
   */
  public record Reverse(int remotePort, int localPort) {}

  /** picocli converter for {@code -L}. */
  public static final class LocalConverter implements ITypeConverter<Local> {
    @Override
    public Local convert(String value) {
      String rest = value;
      String host;
      int local = -1;
      // [local:]host:port where host may be [v6]
      int bracket = rest.indexOf('[');
      if (bracket >= 0) {
        int close = rest.indexOf(']', bracket);
        if (close < 0 || !rest.startsWith(":", close + 1)) throw bad(value, LOCAL_FORM);
        if (bracket > 0) {
          if (rest.charAt(bracket - 1) != ':') throw bad(value, LOCAL_FORM);
          local = port(rest.substring(0, bracket - 1), value, LOCAL_FORM, true);
        }
        host = rest.substring(bracket + 1, close);
        int remote = port(rest.substring(close + 2), value, LOCAL_FORM, false);
        return local(local, host, remote, value);
      }
      String[] parts = rest.split(":", -1);
      if (parts.length == 2) {
        host = parts[0];
        return local(-1, host, port(parts[1], value, LOCAL_FORM, false), value);
      }
      if (parts.length == 3) {
        local = port(parts[0], value, LOCAL_FORM, true);
        return local(local, parts[1], port(parts[2], value, LOCAL_FORM, false), value);
      }
      throw bad(value, LOCAL_FORM);
    }

    private static Local local(int local, String host, int remote, String value) {
      if (host.isEmpty()) throw bad(value, LOCAL_FORM);
      return new Local(local < 0 ? remote : local, host, remote);
    }
  }

  /** picocli converter for {@code -R}. */
  public static final class ReverseConverter implements ITypeConverter<Reverse> {
    @Override
    public Reverse convert(String value) {
      String[] parts = value.split(":", -1);
      if (parts.length == 1) {
        int p = port(parts[0], value, REVERSE_FORM, false);
        return new Reverse(p, p);
      }
      if (parts.length == 2) {
        return new Reverse(
            port(parts[0], value, REVERSE_FORM, false), port(parts[1], value, REVERSE_FORM, false));
      }
      throw bad(value, REVERSE_FORM);
    }
  }

  private static final String LOCAL_FORM = "[local_port:]remote_host:remote_port";
  private static final String REVERSE_FORM = "[remote_port:]local_port";

  private static int port(String text, String value, String form, boolean zeroAllowed) {
    try {
      int p = Integer.parseInt(text);
      if (p >= (zeroAllowed ? 0 : 1) && p <= 65535) return p;
    } catch (NumberFormatException e) {
      // reported below with the accepted form
    }
    throw new TypeConversionException(
        "'"
            + value
            + "': '"
            + text
            + "' is not a port ("
            + (zeroAllowed ? "0" : "1")
            + "-65535); expected "
            + form);
  }

  private static TypeConversionException bad(String value, String form) {
    return new TypeConversionException("'" + value + "': expected " + form);
  }
}
