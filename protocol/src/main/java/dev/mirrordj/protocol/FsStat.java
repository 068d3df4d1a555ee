package dev.mirrordj.protocol;

/**
 * A filesystem's figures as {@code statfs(2)} reports them for a path: type magic, block sizes and
 * counts, inode counts, id, name length limit and mount flags ({@code ST_*}).
 */
public record FsStat(
    long type,
    long blockSize,
    long blocks,
    long blocksFree,
    long blocksAvailable,
    long files,
    long filesFree,
    long fsid,
    long nameMax,
    long fragmentSize,
    long flags) {

  void encode(WireWriter w) {
    w.i64(type)
        .i64(blockSize)
        .i64(blocks)
        .i64(blocksFree)
        .i64(blocksAvailable)
        .i64(files)
        .i64(filesFree)
        .i64(fsid)
        .i64(nameMax)
        .i64(fragmentSize)
        .i64(flags);
  }

  static FsStat decode(WireReader r) {
    return new FsStat(
        r.i64(), r.i64(), r.i64(), r.i64(), r.i64(), r.i64(), r.i64(), r.i64(), r.i64(), r.i64(),
        r.i64());
  }
}
