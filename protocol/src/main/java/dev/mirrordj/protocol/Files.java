package dev.mirrordj.protocol;

import static dev.mirrordj.protocol.MessageTypes.*;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * File messages. Paths are absolute paths as the program in the pod would see them; the agent
 * resolves them inside the target's root. {@code fd} values are the agent's handles, not real fds.
 * {@code flags} and {@code mode} use Linux x86-64 values ({@code O_*}, permission bits).
 */
public final class Files {
  private Files() {}

  public record Open(String path, int flags, int mode) implements Message {
    public int type() {
      return FILE_OPEN;
    }

    public void encode(WireWriter w) {
      w.string(path).i32(flags).i32(mode);
    }

    static Open decode(WireReader r) {
      return new Open(r.string(), r.i32(), r.i32());
    }
  }

  /**
   * Reads up to {@code length} bytes at the handle's position; an empty {@link BytesReply} is EOF.
   */
  public record Read(long fd, int length) implements Message {
    public int type() {
      return FILE_READ;
    }

    public void encode(WireWriter w) {
      w.i64(fd).i32(length);
    }

    static Read decode(WireReader r) {
      return new Read(r.i64(), r.i32());
    }
  }

  public record Pread(long fd, long offset, int length) implements Message {
    public int type() {
      return FILE_PREAD;
    }

    public void encode(WireWriter w) {
      w.i64(fd).i64(offset).i32(length);
    }

    static Pread decode(WireReader r) {
      return new Pread(r.i64(), r.i64(), r.i32());
    }
  }

  public record Write(long fd, Buffer data) implements Message {
    public int type() {
      return FILE_WRITE;
    }

    public void encode(WireWriter w) {
      w.i64(fd).bytes(data);
    }

    static Write decode(WireReader r) {
      return new Write(r.i64(), r.bytes());
    }
  }

  public record Pwrite(long fd, long offset, Buffer data) implements Message {
    public int type() {
      return FILE_PWRITE;
    }

    public void encode(WireWriter w) {
      w.i64(fd).i64(offset).bytes(data);
    }

    static Pwrite decode(WireReader r) {
      return new Pwrite(r.i64(), r.i64(), r.bytes());
    }
  }

  /**
   * {@code whence}: 0 SEEK_SET, 1 SEEK_CUR, 2 SEEK_END. Reply: {@link CountReply} with the new
   * offset.
   */
  public record Seek(long fd, long offset, int whence) implements Message {
    public int type() {
      return FILE_SEEK;
    }

    public void encode(WireWriter w) {
      w.i64(fd).i64(offset).i32(whence);
    }

    static Seek decode(WireReader r) {
      return new Seek(r.i64(), r.i64(), r.i32());
    }
  }

  /** Closes a file or directory handle. */
  public record Close(long fd) implements Message {
    public int type() {
      return FILE_CLOSE;
    }

    public void encode(WireWriter w) {
      w.i64(fd);
    }

    static Close decode(WireReader r) {
      return new Close(r.i64());
    }
  }

  /**
   * Whole file: answered by one or more {@link Chunk}s with the same request id, the last flagged.
   */
  /**
   * A whole file, streamed back as {@link Chunk}s of at most {@code chunkBytes} each (0: the
   * agent's default; the agent keeps every chunk inside one frame).
   */
  public record Fetch(String path, int chunkBytes) implements Message {
    public Fetch(String path) {
      this(path, 0);
    }

    public int type() {
      return FILE_FETCH;
    }

    public void encode(WireWriter w) {
      w.string(path).i32(chunkBytes);
    }

    static Fetch decode(WireReader r) {
      return new Fetch(r.string(), r.i32());
    }
  }

  /** stat ({@code follow=true}) or lstat ({@code follow=false}). */
  public record Stat(String path, boolean follow) implements Message {
    public int type() {
      return FILE_STAT;
    }

    public void encode(WireWriter w) {
      w.string(path).bool(follow);
    }

    static Stat decode(WireReader r) {
      return new Stat(r.string(), r.bool());
    }
  }

  public record Fstat(long fd) implements Message {
    public int type() {
      return FILE_FSTAT;
    }

    public void encode(WireWriter w) {
      w.i64(fd);
    }

    static Fstat decode(WireReader r) {
      return new Fstat(r.i64());
    }
  }

  /** {@code mode}: F_OK 0 or a mix of R_OK 4, W_OK 2, X_OK 1. */
  public record Access(String path, int mode) implements Message {
    public int type() {
      return FILE_ACCESS;
    }

    public void encode(WireWriter w) {
      w.string(path).i32(mode);
    }

    static Access decode(WireReader r) {
      return new Access(r.string(), r.i32());
    }
  }

  public record OpenDir(String path) implements Message {
    public int type() {
      return FILE_OPENDIR;
    }

    public void encode(WireWriter w) {
      w.string(path);
    }

    static OpenDir decode(WireReader r) {
      return new OpenDir(r.string());
    }
  }

  /** Next batch of at most {@code max} entries; an empty batch means the end. */
  public record ReadDir(long fd, int max) implements Message {
    public int type() {
      return FILE_READDIR;
    }

    public void encode(WireWriter w) {
      w.i64(fd).i32(max);
    }

    static ReadDir decode(WireReader r) {
      return new ReadDir(r.i64(), r.i32());
    }
  }

  public record ReadLink(String path) implements Message {
    public int type() {
      return FILE_READLINK;
    }

    public void encode(WireWriter w) {
      w.string(path);
    }

    static ReadLink decode(WireReader r) {
      return new ReadLink(r.string());
    }
  }

  public record Mkdir(String path, int mode) implements Message {
    public int type() {
      return FILE_MKDIR;
    }

    public void encode(WireWriter w) {
      w.string(path).i32(mode);
    }

    static Mkdir decode(WireReader r) {
      return new Mkdir(r.string(), r.i32());
    }
  }

  public record Rmdir(String path) implements Message {
    public int type() {
      return FILE_RMDIR;
    }

    public void encode(WireWriter w) {
      w.string(path);
    }

    static Rmdir decode(WireReader r) {
      return new Rmdir(r.string());
    }
  }

  public record Unlink(String path) implements Message {
    public int type() {
      return FILE_UNLINK;
    }

    public void encode(WireWriter w) {
      w.string(path);
    }

    static Unlink decode(WireReader r) {
      return new Unlink(r.string());
    }
  }

  public record Rename(String from, String to) implements Message {
    public int type() {
      return FILE_RENAME;
    }

    public void encode(WireWriter w) {
      w.string(from).string(to);
    }

    static Rename decode(WireReader r) {
      return new Rename(r.string(), r.string());
    }
  }

  public record Truncate(String path, long length) implements Message {
    public int type() {
      return FILE_TRUNCATE;
    }

    public void encode(WireWriter w) {
      w.string(path).i64(length);
    }

    static Truncate decode(WireReader r) {
      return new Truncate(r.string(), r.i64());
    }
  }

  public record Ftruncate(long fd, long length) implements Message {
    public int type() {
      return FILE_FTRUNCATE;
    }

    public void encode(WireWriter w) {
      w.i64(fd).i64(length);
    }

    static Ftruncate decode(WireReader r) {
      return new Ftruncate(r.i64(), r.i64());
    }
  }

  /** Reply to Open and OpenDir. */
  public record HandleReply(long fd) implements Message {
    public int type() {
      return FILE_HANDLE;
    }

    public void encode(WireWriter w) {
      w.i64(fd);
    }

    static HandleReply decode(WireReader r) {
      return new HandleReply(r.i64());
    }
  }

  /** Reply to Read and Pread. */
  public record BytesReply(Buffer data) implements Message {
    public int type() {
      return FILE_BYTES;
    }

    public void encode(WireWriter w) {
      w.bytes(data);
    }

    static BytesReply decode(WireReader r) {
      return new BytesReply(r.bytes());
    }
  }

  /** Reply to Write, Pwrite (bytes written) and Seek (new offset). */
  public record CountReply(long count) implements Message {
    public int type() {
      return FILE_COUNT;
    }

    public void encode(WireWriter w) {
      w.i64(count);
    }

    static CountReply decode(WireReader r) {
      return new CountReply(r.i64());
    }
  }

  /** One piece of a fetched file. */
  public record Chunk(Buffer data, boolean last) implements Message {
    public int type() {
      return FILE_CHUNK;
    }

    public void encode(WireWriter w) {
      w.bytes(data).bool(last);
    }

    static Chunk decode(WireReader r) {
      return new Chunk(r.bytes(), r.bool());
    }
  }

  public record StatReply(FileStat stat) implements Message {
    public int type() {
      return FILE_STAT_REPLY;
    }

    public void encode(WireWriter w) {
      stat.encode(w);
    }

    static StatReply decode(WireReader r) {
      return new StatReply(FileStat.decode(r));
    }
  }

  /**
   * {@code kind} is the {@code d_type} value: 1 FIFO, 2 CHR, 4 DIR, 6 BLK, 8 REG, 10 LNK, 12 SOCK,
   * 0 unknown.
   */
  public record DirEntry(String name, long inode, int kind) {}

  public record DirEntriesReply(List<DirEntry> entries) implements Message {
    public int type() {
      return FILE_DIR_ENTRIES;
    }

    public void encode(WireWriter w) {
      w.list(entries, (ww, e) -> ww.string(e.name()).i64(e.inode()).u8(e.kind()));
    }

    static DirEntriesReply decode(WireReader r) {
      return new DirEntriesReply(r.list(rr -> new DirEntry(rr.string(), rr.i64(), rr.u8())));
    }
  }

  /** Reply to ReadLink. */
  public record PathReply(String path) implements Message {
    public int type() {
      return FILE_PATH;
    }

    public void encode(WireWriter w) {
      w.string(path);
    }

    static PathReply decode(WireReader r) {
      return new PathReply(r.string());
    }
  }

  /** statfs of the filesystem holding {@code path} (followed like stat). Reply: FsStatReply. */
  public record StatFs(String path) implements Message {
    public int type() {
      return FILE_STATFS;
    }

    public void encode(WireWriter w) {
      w.string(path);
    }

    static StatFs decode(WireReader r) {
      return new StatFs(r.string());
    }
  }

  public record FsStatReply(FsStat stat) implements Message {
    public int type() {
      return FILE_FS_STAT;
    }

    public void encode(WireWriter w) {
      stat.encode(w);
    }

    static FsStatReply decode(WireReader r) {
      return new FsStatReply(FsStat.decode(r));
    }
  }
}
