package dev.mirrordj.layerbridge.msg;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address as the layer sends it: IPv4 (v4-mapped IPv6 arrives as IPv4), IPv6, or a unix socket
 * path ({@code @name} for the abstract namespace).
 */
public record SockAddr(Kind kind, byte[] ip, String unixPath, int port) {

  /** Address families on the layer wire (the byte values are the wire tags). */
  public enum Kind {
    UNIX(1),
    INET4(4),
    INET6(6);
    public final int tag;

    Kind(int tag) {
      this.tag = tag;
    }
  }

  public static SockAddr inet(InetAddress address, int port) {
    byte[] raw = address.getAddress();
    return new SockAddr(raw.length == 4 ? Kind.INET4 : Kind.INET6, raw, null, port);
  }

  public static SockAddr unix(String path) {
    return new SockAddr(Kind.UNIX, null, path, 0);
  }

  public boolean isInet() {
    return kind != Kind.UNIX;
  }

  /** The IP address; only for INET kinds. */
  public InetAddress inetAddress() {
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of wrong length " + ip.length, e);
    }
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(inetAddress(), port);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SockAddr s
        && s.kind == kind
        && s.port == port
        && Arrays.equals(s.ip, ip)
        && java.util.Objects.equals(s.unixPath, unixPath);
  }

  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + Arrays.hashCode(ip)) * 31
        + port
        + (unixPath == null ? 0 : unixPath.hashCode());
  }

  @Override
  public String toString() {
    return kind == Kind.UNIX ? "unix:" + unixPath : socketAddress().toString();
  }
}
