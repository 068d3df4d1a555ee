package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.msg.DirEntry;
import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.verticles.proxy.remote.RemoteConnection;
import dev.mirrordj.verticles.proxy.remote.RemoteErrno;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Serves file operations on this machine's disk for paths that {@code feature.fs.mapping} rewrote
 * to a local location: the layer only knows how to send an operation to the pod or do it itself on
 * the path it was given, so a mapped local path is handled here, the way the pod's files are, with
 * the same replies. Blocking disk work runs off the event loop.
 */
final class MappedLocalFiles implements RemoteTarget {

  private static final int DT_DIR = 4;
  private static final int DT_REG = 8;
  private static final int DT_LNK = 10;

  private interface Io<T> {
    T run() throws IOException;
  }

  private static <T> Future<T> io(Io<T> work) {
    Callable<T> call =
        () -> {
          try {
            return work.run();
          } catch (IOException e) {
            throw errno(e);
          }
        };
    Context context = Vertx.currentContext();
    if (context != null) {
      return context.executeBlocking(call, false);
    }
    try {
      return Future.succeededFuture(call.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private static RemoteErrno errno(IOException e) {
    int errno = Errno.EPERM;
    if (e instanceof NoSuchFileException) errno = Errno.ENOENT;
    else if (e instanceof AccessDeniedException) errno = Errno.EACCES;
    else if (e instanceof FileAlreadyExistsException) errno = Errno.EEXIST;
    else if (e instanceof DirectoryNotEmptyException) errno = Errno.ENOTEMPTY;
    else if (e instanceof NotDirectoryException) errno = Errno.ENOTDIR;
    return new RemoteErrno(errno, "mapped local path: " + e.getMessage());
  }

  @Override
  public Future<byte[]> readContent(String path) {
    return io(() -> Files.readAllBytes(Path.of(path)));
  }

  @Override
  public Future<FileMeta> stat(String path, boolean followLinks) {
    return io(() -> meta(Path.of(path), followLinks));
  }

  static FileMeta meta(Path p, boolean followLinks) throws IOException {
    LinkOption[] opts =
        followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    Map<String, Object> a = Files.readAttributes(p, "unix:*", opts);
    long size = ((Number) a.get("size")).longValue();
    FileTime at = (FileTime) a.get("lastAccessTime");
    FileTime mt = (FileTime) a.get("lastModifiedTime");
    FileTime ct = (FileTime) a.get("ctime");
    return new FileMeta(
        ((Number) a.get("dev")).longValue(),
        ((Number) a.get("ino")).longValue(),
        ((Number) a.get("nlink")).longValue(),
        ((Number) a.get("mode")).intValue(),
        ((Number) a.get("uid")).intValue(),
        ((Number) a.get("gid")).intValue(),
        size,
        4096,
        (size + 511) / 512,
        at.toInstant().getEpochSecond(),
        at.toInstant().getNano(),
        mt.toInstant().getEpochSecond(),
        mt.toInstant().getNano(),
        ct.toInstant().getEpochSecond(),
        ct.toInstant().getNano());
  }

  @Override
  public Future<List<DirEntry>> listDir(String path) {
    return io(
        () -> {
          List<DirEntry> out = new ArrayList<>();
          try (Stream<Path> children = Files.list(Path.of(path))) {
            for (Path c : (Iterable<Path>) children::iterator) {
              String name = c.getFileName().toString();
              if (Files.isSymbolicLink(c)) {
                out.add(new DirEntry(name, DT_LNK, Files.readSymbolicLink(c).toString()));
              } else {
                out.add(
                    new DirEntry(
                        name,
                        Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS) ? DT_DIR : DT_REG,
                        ""));
              }
            }
          }
          return out;
        });
  }

  @Override
  public Future<Void> writeFile(String path, byte[] content) {
    return io(
        () -> {
          Files.write(Path.of(path), content);
          return null;
        });
  }

  @Override
  public Future<Void> mkdir(String path, int mode) {
    return io(
        () -> {
          Path p = Files.createDirectory(Path.of(path));
          Files.setPosixFilePermissions(p, permissions(mode & 0777 & ~0022));
          return null;
        });
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) out.add(bits[i]);
    }
    return out;
  }

  @Override
  public Future<Void> rmdir(String path) {
    return io(
        () -> {
          Path p = Path.of(path);
          if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) throw new NoSuchFileException(path);
            throw new NotDirectoryException(path);
          }
          Files.delete(p);
          return null;
        });
  }

  @Override
  public Future<Void> unlink(String path) {
    Path p = Path.of(path);
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return Future.failedFuture(new RemoteErrno(Errno.EISDIR, path + " is a directory"));
    }
    return io(
        () -> {
          Files.delete(p);
          return null;
        });
  }

  @Override
  public Future<Void> rename(String from, String to) {
    return io(
        () -> {
          try {
            Files.move(Path.of(from), Path.of(to), StandardCopyOption.ATOMIC_MOVE);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(Path.of(from), Path.of(to), StandardCopyOption.REPLACE_EXISTING);
          }
          return null;
        });
  }

  @Override
  public Future<Void> truncate(String path, long length) {
    return io(
        () -> {
          try (RandomAccessFile f = new RandomAccessFile(path, "rw")) {
            f.setLength(length);
          }
          return null;
        });
  }

  @Override
  public Future<String> readlink(String path) {
    return io(() -> Files.readSymbolicLink(Path.of(path)).toString());
  }

  private static <T> Future<T> notFiles() {
    return Future.failedFuture(
        new RemoteErrno(Errno.ENOSYS, "mapped local paths serve file operations only"));
  }

  @Override
  public Future<List<InetAddress>> resolve(String name) {
    return notFiles();
  }

  @Override
  public Future<String> hostname() {
    return notFiles();
  }

  @Override
  public Future<RemoteConnection> connectStream(SockAddr target) {
    return notFiles();
  }

  @Override
  public Future<RemoteConnection> openDatagram(SockAddr target) {
    return notFiles();
  }

  @Override
  public Future<Void> lost() {
    return Future.future(p -> {}); // the local disk is never lost
  }
}
