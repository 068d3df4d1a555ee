package dev.mirrordj.agent.net;

import com.sun.jna.LastErrorException;
import dev.mirrordj.agent.fs.ErrnoException;
import dev.mirrordj.agent.ns.LibC;
import dev.mirrordj.protocol.Errno;
import java.nio.charset.StandardCharsets;

/**
 * A unix socket address short enough for {@code sun_path} (108 bytes with its NUL). Pod paths get
 * the {@code /proc/<pid>/root} prefix, which can push a legal pod path over that limit; then the
 * socket's directory is opened with O_PATH and the socket is reached as {@code
 * /proc/self/fd/<fd>/<name>}, which the kernel resolves to the same inode. Close it once the
 * connect has completed (the fd only has to live through the connect).
 */
final class UnixSocketPath implements AutoCloseable {
  static final int SUN_PATH_MAX = 107; // bytes, not counting the terminating NUL

  private final String address;
  private final int dirFd;

  private UnixSocketPath(String address, int dirFd) {
    this.address = address;
    this.dirFd = dirFd;
  }

  /**
   * @param hostPath the resolved host path of the socket (symlinks already followed)
   */
  static UnixSocketPath of(String hostPath) throws ErrnoException {
    if (bytes(hostPath) <= SUN_PATH_MAX) {
      return new UnixSocketPath(hostPath, -1);
    }
    int slash = hostPath.lastIndexOf('/');
    String dir = slash <= 0 ? "/" : hostPath.substring(0, slash);
    String name = hostPath.substring(slash + 1);
    int fd;
    try {
      fd = LibC.INSTANCE.open(dir, Errno.O_PATH | Errno.O_DIRECTORY | Errno.O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new ErrnoException(
          e.getErrorCode(), "cannot open the socket's directory: errno " + e.getErrorCode());
    }
    String viaFd = "/proc/self/fd/" + fd + "/" + name;
    if (bytes(viaFd) > SUN_PATH_MAX) {
      LibC.INSTANCE.close(fd);
      throw new ErrnoException(
          Errno.ENAMETOOLONG,
          "unix socket name '"
              + name
              + "' is too long ("
              + bytes(name)
              + " bytes; a socket name up to about 85 bytes is accepted)");
    }
    return new UnixSocketPath(viaFd, fd);
  }

  /** What to hand to connect(). */
  String address() {
    return address;
  }

  @Override
  public void close() {
    if (dirFd >= 0) {
      try {
        LibC.INSTANCE.close(dirFd);
      } catch (LastErrorException ignored) {
        // nothing more to release
      }
    }
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
