package dev.mirrordj.verticles.proxy.seccomp;

import dev.mirrordj.layerbridge.msg.FileMeta;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A remote file's metadata laid out as x86-64 {@code struct stat} and {@code struct statx}. */
final class StatLayout {
  static final int STAT_SIZE = 144;
  static final int STATX_SIZE = 256;
  private static final int STATX_BASIC_STATS = 0x7ff;

  private StatLayout() {}

  static byte[] stat(FileMeta m) {
    ByteBuffer b = ByteBuffer.allocate(STAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, m.dev());
    b.putLong(8, m.ino());
    b.putLong(16, m.nlink());
    b.putInt(24, m.mode());
    b.putInt(28, m.uid());
    b.putInt(32, m.gid());
    b.putLong(48, m.size());
    b.putLong(56, m.blksize());
    b.putLong(64, m.blocks());
    b.putLong(72, m.atimeSec());
    b.putLong(80, m.atimeNsec());
    b.putLong(88, m.mtimeSec());
    b.putLong(96, m.mtimeNsec());
    b.putLong(104, m.ctimeSec());
    b.putLong(112, m.ctimeNsec());
    return b.array();
  }

  static byte[] statx(FileMeta m) {
    ByteBuffer b = ByteBuffer.allocate(STATX_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, STATX_BASIC_STATS);
    b.putInt(4, (int) m.blksize());
    b.putInt(16, (int) m.nlink());
    b.putInt(20, m.uid());
    b.putInt(24, m.gid());
    b.putShort(28, (short) m.mode());
    b.putLong(32, m.ino());
    b.putLong(40, m.size());
    b.putLong(48, m.blocks());
    timestamp(b, 64, m.atimeSec(), m.atimeNsec());
    timestamp(b, 96, m.ctimeSec(), m.ctimeNsec());
    timestamp(b, 112, m.mtimeSec(), m.mtimeNsec());
    b.putInt(136, (int) (m.dev() >>> 8) & 0xfff);
    b.putInt(140, (int) (m.dev() & 0xff));
    return b.array();
  }

  private static void timestamp(ByteBuffer b, int at, long sec, int nsec) {
    b.putLong(at, sec);
    b.putInt(at + 8, nsec);
  }
}
