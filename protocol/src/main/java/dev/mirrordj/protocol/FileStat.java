package dev.mirrordj.protocol;

/**
 * Full file metadata as {@code stat(2)} reports it, with nanosecond times. {@code mode} holds the
 * file type bits ({@code S_IFMT}) and the permission bits.
 */
public record FileStat(
    long dev,
    long ino,
    int mode,
    long nlink,
    int uid,
    int gid,
    long rdev,
    long size,
    long blksize,
    long blocks,
    long atimeSec,
    int atimeNsec,
    long mtimeSec,
    int mtimeNsec,
    long ctimeSec,
    int ctimeNsec) {

  void encode(WireWriter w) {
    w.i64(dev)
        .i64(ino)
        .i32(mode)
        .i64(nlink)
        .i32(uid)
        .i32(gid)
        .i64(rdev)
        .i64(size)
        .i64(blksize)
        .i64(blocks)
        .i64(atimeSec)
        .i32(atimeNsec)
        .i64(mtimeSec)
        .i32(mtimeNsec)
        .i64(ctimeSec)
        .i32(ctimeNsec);
  }

  static FileStat decode(WireReader r) {
    return new FileStat(
        r.i64(), r.i64(), r.i32(), r.i64(), r.i32(), r.i32(), r.i64(), r.i64(), r.i64(), r.i64(),
        r.i64(), r.i32(), r.i64(), r.i32(), r.i64(), r.i32());
  }

  public boolean isDirectory() {
    return (mode & 0170000) == 0040000;
  }

  public boolean isRegularFile() {
    return (mode & 0170000) == 0100000;
  }

  public boolean isSymlink() {
    return (mode & 0170000) == 0120000;
  }
}
