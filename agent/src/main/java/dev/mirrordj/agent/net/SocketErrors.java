package dev.mirrordj.agent.net;

import dev.mirrordj.protocol.Errno;
import java.util.Locale;

/** Maps socket exceptions (JDK or Netty native) to the errno a program would have seen. */
final class SocketErrors {
  private SocketErrors() {}

  // Netty's native transport says "connect(..) failed with error(-36): File name too long"
  private static final java.util.regex.Pattern NATIVE_ERRNO =
      java.util.regex.Pattern.compile("error\\(-(\\d{1,4})\\)");

  static int errno(Throwable e) {
    // Netty's native transport knows the exact errno; its message is often just "null".
    if (e instanceof io.netty.channel.unix.Errors.NativeIoException n && n.expectedErr() < 0) {
      return -n.expectedErr();
    }
    java.util.regex.Matcher native_ = NATIVE_ERRNO.matcher(String.valueOf(e.getMessage()));
    if (native_.find()) {
      return Integer.parseInt(native_.group(1));
    }
    // Netty's epoll transport reports a connect to a missing unix socket path as a bare
    // FileNotFoundException (no message); connect(2) says ENOENT.
    if (e instanceof java.io.FileNotFoundException) return Errno.ENOENT;
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("refused")) return Errno.ECONNREFUSED;
    if (m.contains("no route")) return Errno.EHOSTUNREACH;
    if (m.contains("network is unreachable")) return Errno.ENETUNREACH;
    if (m.contains("timed out") || e instanceof io.netty.channel.ConnectTimeoutException)
      return Errno.ETIMEDOUT;
    if (m.contains("reset")) return Errno.ECONNRESET;
    if (m.contains("broken pipe")) return Errno.EPIPE;
    if (m.contains("no such file")) return Errno.ENOENT;
    if (m.contains("permission denied")) return Errno.EACCES;
    if (m.contains("cannot assign")) return Errno.EADDRNOTAVAIL;
    if (m.contains("address family")) return Errno.EAFNOSUPPORT;
    return Errno.EIO;
  }
}
