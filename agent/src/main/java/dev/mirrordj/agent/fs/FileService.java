package dev.mirrordj.agent.fs;

import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.FileStat;
import dev.mirrordj.protocol.Files.DirEntry;
import dev.mirrordj.protocol.FsStat;
import dev.mirrordj.sys.LibC;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's file operations inside the target root. Handles map to real fds (files) or directory
 * iterators; all are closed with the session. Calls block: run them off the event loop. Calls on
 * different handles may run at once; the caller keeps the calls on one handle in order.
 */
public final class FileService implements AutoCloseable {
  static final int MAX_IO = 512 * 1024;
  private static final LibC C = LibC.INSTANCE;

  private final PathResolver resolver;
  private final HandleTable handles = new HandleTable();

  public FileService(PathResolver resolver) {
    this.resolver = resolver;
  }

  public long open(String path, int flags, int mode) throws ErrnoException {
    boolean follow =
        (flags & Errno.O_NOFOLLOW) == 0
            && (flags & (Errno.O_CREAT | Errno.O_EXCL)) != (Errno.O_CREAT | Errno.O_EXCL);
    String host = resolver.resolve(path, follow);
    handles.checkRoom();
    int fd = Sys.call(() -> C.open(host, flags | Errno.O_CLOEXEC, mode), "open " + path);
    return handles.add(new HandleTable.FileHandle(fd));
  }

  public Buffer read(long h, int length) throws ErrnoException {
    int fd = handles.fd(h);
    byte[] buf = new byte[clamp(length)];
    long n = Sys.callLong(() -> C.read(fd, buf, buf.length), "read");
    return Buffer.buffer(n == buf.length ? buf : java.util.Arrays.copyOf(buf, (int) n));
  }

  public Buffer pread(long h, long offset, int length) throws ErrnoException {
    int fd = handles.fd(h);
    byte[] buf = new byte[clamp(length)];
    long n = Sys.callLong(() -> C.pread(fd, buf, buf.length, offset), "pread");
    return Buffer.buffer(n == buf.length ? buf : java.util.Arrays.copyOf(buf, (int) n));
  }

  public long write(long h, Buffer data) throws ErrnoException {
    int fd = handles.fd(h);
    byte[] b = data.getBytes();
    return Sys.callLong(() -> C.write(fd, b, b.length), "write");
  }

  public long pwrite(long h, long offset, Buffer data) throws ErrnoException {
    int fd = handles.fd(h);
    byte[] b = data.getBytes();
    return Sys.callLong(() -> C.pwrite(fd, b, b.length, offset), "pwrite");
  }

  public long seek(long h, long offset, int whence) throws ErrnoException {
    int fd = handles.fd(h);
    return Sys.callLong(() -> C.lseek(fd, offset, whence), "lseek");
  }

  public void ftruncate(long h, long length) throws ErrnoException {
    int fd = handles.fd(h);
    Sys.call(() -> C.ftruncate(fd, length), "ftruncate");
  }

  public FileStat fstat(long h) throws ErrnoException {
    if (handles.get(h) instanceof HandleTable.DirHandle d) {
      return Statx.path(d.hostPath(), true);
    }
    return Statx.fd(handles.fd(h));
  }

  public void close(long h) throws ErrnoException {
    handles.remove(h);
  }

  /** Streams a whole file: each chunk goes to {@code sink}, the last one flagged. */
  public void fetch(String path, int chunkSize, ChunkSink sink) throws ErrnoException {
    String host = resolver.resolve(path, true);
    int fd = Sys.call(() -> C.open(host, Errno.O_RDONLY | Errno.O_CLOEXEC, 0), "open " + path);
    try {
      byte[] buf = new byte[chunkSize];
      while (true) {
        long n = Sys.callLong(() -> C.read(fd, buf, buf.length), "read " + path);
        if (n == 0) {
          sink.chunk(Buffer.buffer(), true);
          return;
        }
        if (!sink.chunk(Buffer.buffer(java.util.Arrays.copyOf(buf, (int) n)), false)) {
          return;
        }
      }
    } finally {
      C.close(fd);
    }
  }

  /** Receives fetched chunks in order; returning false stops the fetch (client gone). */
  public interface ChunkSink {
    boolean chunk(Buffer data, boolean last);
  }

  public FileStat stat(String path, boolean follow) throws ErrnoException {
    return Statx.path(resolver.resolve(path, follow), follow);
  }

  /** statfs of the filesystem that holds {@code path} in the target's mount namespace. */
  public FsStat statfs(String path) throws ErrnoException {
    String host = resolver.resolve(path, true);
    byte[] raw = new byte[120];
    Sys.call(() -> C.statfs(host, raw), "statfs " + path);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.nativeOrder());
    // struct statfs on 64-bit Linux: eleven 8-byte fields (f_fsid is two ints), then spare
    return new FsStat(
        b.getLong(0),
        b.getLong(8),
        b.getLong(16),
        b.getLong(24),
        b.getLong(32),
        b.getLong(40),
        b.getLong(48),
        b.getLong(56),
        b.getLong(64),
        b.getLong(72),
        b.getLong(80));
  }

  public void access(String path, int mode) throws ErrnoException {
    String host = resolver.resolve(path, true);
    Sys.call(() -> C.access(host, mode), "access " + path);
  }

  public long openDir(String path) throws ErrnoException {
    String host = resolver.resolve(path, true);
    handles.checkRoom();
    try {
      DirectoryStream<Path> ds = java.nio.file.Files.newDirectoryStream(Path.of(host));
      return handles.add(
          new HandleTable.DirHandle(host, ds, ds.iterator(), new ArrayList<>(List.of(".", ".."))));
    } catch (NoSuchFileException e) {
      throw new ErrnoException(Errno.ENOENT, "no such directory " + path);
    } catch (NotDirectoryException e) {
      throw new ErrnoException(Errno.ENOTDIR, path + " is not a directory");
    } catch (AccessDeniedException e) {
      throw new ErrnoException(Errno.EACCES, "permission denied: " + path);
    } catch (IOException e) {
      throw new ErrnoException(Errno.EIO, "cannot open directory " + path + ": " + e.getMessage());
    }
  }

  /** Up to {@code max} entries, "." and ".." first like readdir(3); empty at the end. */
  public List<DirEntry> readDir(long h, int max) throws ErrnoException {
    HandleTable.DirHandle d = handles.dir(h);
    List<DirEntry> out = new ArrayList<>();
    int limit = Math.max(1, Math.min(max, 4096));
    while (out.size() < limit && !d.dots().isEmpty()) {
      String dot = d.dots().remove(0);
      FileStat st = Statx.path(d.hostPath() + "/" + dot, false);
      out.add(new DirEntry(dot, st.ino(), Statx.dirType(st.mode())));
    }
    while (out.size() < limit && d.it().hasNext()) {
      Path p = d.it().next();
      try {
        FileStat st = Statx.path(p.toString(), false);
        out.add(new DirEntry(p.getFileName().toString(), st.ino(), Statx.dirType(st.mode())));
      } catch (ErrnoException gone) {
        // removed between listing and stat: skip it, as readdir would not have returned it later
      }
    }
    return out;
  }

  public String readLink(String path) throws ErrnoException {
    String host = resolver.resolve(path, false);
    byte[] buf = new byte[4096];
    long n = Sys.callLong(() -> C.readlink(host, buf, buf.length), "readlink " + path);
    return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
  }

  public void mkdir(String path, int mode) throws ErrnoException {
    String host = resolver.resolve(path, false);
    Sys.call(() -> C.mkdir(host, mode), "mkdir " + path);
  }

  public void rmdir(String path) throws ErrnoException {
    String host = resolver.resolve(path, false);
    Sys.call(() -> C.rmdir(host), "rmdir " + path);
  }

  public void unlink(String path) throws ErrnoException {
    String host = resolver.resolve(path, false);
    Sys.call(() -> C.unlink(host), "unlink " + path);
  }

  public void rename(String from, String to) throws ErrnoException {
    String a = resolver.resolve(from, false);
    String b = resolver.resolve(to, false);
    Sys.call(() -> C.rename(a, b), "rename " + from + " -> " + to);
  }

  public void truncate(String path, long length) throws ErrnoException {
    String host = resolver.resolve(path, true);
    Sys.call(() -> C.truncate(host, length), "truncate " + path);
  }

  public int openHandles() {
    return handles.size();
  }

  @Override
  public void close() {
    handles.close();
  }

  private static int clamp(int length) throws ErrnoException {
    if (length < 0) {
      throw new ErrnoException(Errno.EINVAL, "negative length " + length);
    }
    return Math.min(length, MAX_IO);
  }
}
