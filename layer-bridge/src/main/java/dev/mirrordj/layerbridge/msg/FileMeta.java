package dev.mirrordj.layerbridge.msg;

/** File metadata as the layer fills {@code struct stat}/{@code statx} with it (times in s + ns). */
public record FileMeta(
    long dev,
    long ino,
    long nlink,
    int mode,
    int uid,
    int gid,
    long size,
    long blksize,
    long blocks,
    long atimeSec,
    int atimeNsec,
    long mtimeSec,
    int mtimeNsec,
    long ctimeSec,
    int ctimeNsec) {

  public static final int S_IFMT = 0170000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFLNK = 0120000;

  public boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }
}
