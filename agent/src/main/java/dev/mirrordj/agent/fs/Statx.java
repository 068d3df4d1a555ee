package dev.mirrordj.agent.fs;

import com.sun.jna.LastErrorException;
import dev.mirrordj.protocol.FileStat;
import dev.mirrordj.sys.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * stat/lstat/fstat through {@code statx(2)}, whose struct layout is the same on every architecture
 * (unlike {@code struct stat}), giving nanosecond times without a JNA structure mapping.
 */
final class Statx {
  private static final int AT_EMPTY_PATH = 0x1000;

  private Statx() {}

  static FileStat path(String hostPath, boolean follow) throws ErrnoException {
    return call(LibC.AT_FDCWD, hostPath, follow ? 0 : LibC.AT_SYMLINK_NOFOLLOW);
  }

  static FileStat fd(int fd) throws ErrnoException {
    return call(fd, "", AT_EMPTY_PATH);
  }

  private static FileStat call(int dirfd, String path, int flags) throws ErrnoException {
    byte[] raw = new byte[256];
    try {
      LibC.INSTANCE.statx(dirfd, path, flags, LibC.STATX_BASIC_STATS, raw);
    } catch (LastErrorException e) {
      throw new ErrnoException(
          e.getErrorCode(), "statx " + (path.isEmpty() ? "fd " + dirfd : path) + " failed");
    }
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
    long blksize = Integer.toUnsignedLong(b.getInt(4));
    long nlink = Integer.toUnsignedLong(b.getInt(16));
    int uid = b.getInt(20);
    int gid = b.getInt(24);
    int mode = Short.toUnsignedInt(b.getShort(28));
    long ino = b.getLong(32);
    long size = b.getLong(40);
    long blocks = b.getLong(48);
    long rdev = makedev(b.getInt(128), b.getInt(132));
    long dev = makedev(b.getInt(136), b.getInt(140));
    return new FileStat(
        dev,
        ino,
        mode,
        nlink,
        uid,
        gid,
        rdev,
        size,
        blksize,
        blocks,
        b.getLong(64),
        b.getInt(72),
        b.getLong(112),
        b.getInt(120),
        b.getLong(96),
        b.getInt(104));
  }

  /** glibc's makedev(3) encoding, so st_dev matches what stat(2) would have returned. */
  static long makedev(int major, int minor) {
    long ma = Integer.toUnsignedLong(major);
    long mi = Integer.toUnsignedLong(minor);
    return ((ma & 0xfffff000L) << 32)
        | ((ma & 0xfffL) << 8)
        | ((mi & 0xffffff00L) << 12)
        | (mi & 0xffL);
  }

  /** d_type from st_mode. */
  static int dirType(int mode) {
    return (mode >> 12) & 0xf;
  }
}
