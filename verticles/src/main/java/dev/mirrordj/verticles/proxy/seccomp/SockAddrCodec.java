package dev.mirrordj.verticles.proxy.seccomp;

import dev.mirrordj.layerbridge.msg.SockAddr;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code struct sockaddr} bytes to the layer's addresses and back. An IPv4-mapped IPv6 address (the
 * JVM's and Go's dual-stack sockets use them) is the IPv4 address it carries, as on the layer wire.
 */
final class SockAddrCodec {
  private SockAddrCodec() {}

  /** The address, or null for a family the layers do not route. */
  static SockAddr decode(byte[] sa) {
    if (sa.length < 2) return null;
    int family = (sa[0] & 0xff) | (sa[1] & 0xff) << 8;
    if (family == Libc.AF_INET && sa.length >= 8) {
      return new SockAddr(SockAddr.Kind.INET4, Arrays.copyOfRange(sa, 4, 8), null, port(sa));
    }
    if (family == Libc.AF_INET6 && sa.length >= 24) {
      byte[] ip = Arrays.copyOfRange(sa, 8, 24);
      if (isV4Mapped(ip))
        return new SockAddr(SockAddr.Kind.INET4, Arrays.copyOfRange(ip, 12, 16), null, port(sa));
      return new SockAddr(SockAddr.Kind.INET6, ip, null, port(sa));
    }
    if (family == Libc.AF_UNIX && sa.length > 2) {
      byte[] path = Arrays.copyOfRange(sa, 2, sa.length);
      if (path[0] == 0) { // abstract: the whole length counts, shown as @name
        return SockAddr.unix("@" + new String(path, 1, path.length - 1, StandardCharsets.UTF_8));
      }
      int end = 0;
      while (end < path.length && path[end] != 0) end++;
      return SockAddr.unix(new String(path, 0, end, StandardCharsets.UTF_8));
    }
    return null;
  }

  /** The address as a sockaddr of {@code family} (IPv4 on an IPv6 socket becomes v4-mapped). */
  static byte[] encode(SockAddr a, int family) {
    if (!a.isInet()) {
      String p = a.unixPath();
      byte[] path =
          (p.startsWith("@") ? "\0" + p.substring(1) : p).getBytes(StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.allocate(2 + path.length + 1).order(ByteOrder.LITTLE_ENDIAN);
      b.putShort((short) Libc.AF_UNIX).put(path);
      return p.startsWith("@") ? Arrays.copyOf(b.array(), 2 + path.length) : b.array();
    }
    if (family == Libc.AF_INET6) {
      byte[] ip = a.ip();
      if (ip.length == 4) {
        byte[] mapped = new byte[16];
        mapped[10] = mapped[11] = (byte) 0xff;
        System.arraycopy(ip, 0, mapped, 12, 4);
        ip = mapped;
      }
      ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
      b.putShort(0, (short) Libc.AF_INET6);
      b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) a.port());
      b.position(8);
      b.put(ip);
      return b.array();
    }
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(0, (short) Libc.AF_INET);
    b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) a.port());
    b.position(4);
    b.put(a.ip());
    return b.array();
  }

  static int family(byte[] sa) {
    return sa.length < 2 ? -1 : (sa[0] & 0xff) | (sa[1] & 0xff) << 8;
  }

  private static int port(byte[] sa) {
    return (sa[2] & 0xff) << 8 | (sa[3] & 0xff);
  }

  private static boolean isV4Mapped(byte[] ip) {
    for (int i = 0; i < 10; i++) if (ip[i] != 0) return false;
    return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
  }
}
