package dev.mirrordj.verticles.proxy.seccomp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * open/stat/access/readlink and the path-changing calls, answered with the LD_PRELOAD layer's
 * requests: a remote file becomes a memfd installed in the program, a remote directory a shadow
 * directory, remote metadata is written into the program's struct. The pod's resolv.conf and hosts
 * (DNS) and hostname files are served whatever the fs policy, as the layer's DNS and hostname
 * features would.
 */
final class FileCalls {
  private static final int O_ACCMODE = 3, O_WRONLY = 1, O_CREAT = 0100, O_TRUNC = 01000;
  private static final int O_APPEND = 02000, O_CLOEXEC = 02000000, O_DIRECTORY = 0200000;
  private static final int MFD_CLOEXEC = 1;
  private static final List<String> DNS_FILES = List.of("/etc/resolv.conf", "/etc/hosts");
  private static final List<String> HOSTNAME_FILES =
      List.of("/etc/hostname", "/proc/sys/kernel/hostname");

  private final SupervisedCalls calls;
  private final Executor workers;
  private final ShadowDirectories shadows;
  private final WrittenFiles written;
  private final List<String> localPrefixes;

  FileCalls(
      SupervisedCalls calls, Executor workers, ShadowDirectories shadows, WrittenFiles written) {
    this.calls = calls;
    this.workers = workers;
    this.shadows = shadows;
    this.written = written;
    this.localPrefixes = calls.localPrefixes();
  }

  /**
   * The absolute path a call names, or null when it is local for sure (relative to a local dir).
   */
  String path(Notification n, int dirfd, int pathArg, int atFlags) throws SupervisorException {
    String p = TargetProcess.readString(n.tid(), n.args()[pathArg]);
    if (p.isEmpty()) {
      if ((atFlags & Syscalls.AT_EMPTY_PATH) != 0) return null; // the descriptor itself
      throw new SupervisorException(2, "empty path");
    }
    if (p.startsWith("/")) {
      String remote = shadows.remotePath(p);
      return remote != null ? remote : p;
    }
    String base =
        dirfd == Syscalls.AT_FDCWD
            ? TargetProcess.cwd(n.tid())
            : TargetProcess.fdTarget(n.tid(), dirfd);
    String remoteBase = base == null ? null : shadows.remotePath(base);
    // relative paths are local, as for the layer, unless they start in a pod directory
    if (remoteBase == null) return null;
    return Path.of(remoteBase).resolve(p).normalize().toString();
  }

  private boolean surelyLocal(String path) {
    for (String prefix : localPrefixes) {
      if (path.startsWith(prefix)
          && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) return true;
    }
    return false;
  }

  void open(Listener l, Notification n, int dirfd, int pathArg, int flags, int mode)
      throws SupervisorException {
    String path = path(n, dirfd, pathArg, 0);
    if (path == null) {
      l.proceed(n.id());
      return;
    }
    boolean writing = (flags & O_ACCMODE) != 0 || (flags & (O_CREAT | O_TRUNC | O_APPEND)) != 0;
    int pid = TargetProcess.tgid(n.tid());
    if (!writing && calls.remoteDns() && DNS_FILES.contains(path)) {
      Reply.when(
          calls.podFile(path).map(b -> new LayerReply.FileContent(false, null, b)),
          workers,
          l,
          n,
          r -> install(l, n, pid, path, flags, r));
      return;
    }
    if (!writing && calls.remoteHostname() && HOSTNAME_FILES.contains(path)) {
      Reply.when(
          calls
              .handle(pid, new LayerRequest.Hostname())
              .map(
                  r ->
                      r instanceof LayerReply.Name name
                          ? new LayerReply.FileContent(
                              false, null, (name.name() + "\n").getBytes(StandardCharsets.UTF_8))
                          : r),
          workers,
          l,
          n,
          r -> install(l, n, pid, path, flags, r));
      return;
    }
    if (surelyLocal(path)) {
      l.proceed(n.id());
      return;
    }
    Future<LayerReply> answer =
        written
            .flush(path)
            .otherwiseEmpty()
            .compose(v -> calls.handle(pid, new LayerRequest.Open(path, flags, mode)));
    Reply.when(answer, workers, l, n, r -> install(l, n, pid, path, flags, r));
  }

  private void install(Listener l, Notification n, int pid, String path, int flags, LayerReply r)
      throws SupervisorException {
    if (Reply.common(l, n, r)) return;
    boolean cloexec = (flags & O_CLOEXEC) != 0;
    if (r instanceof LayerReply.FileContent f) {
      int memfd = memfd(path, f.content());
      int access = flags & O_ACCMODE;
      int reopened = -1;
      try {
        // a descriptor of its own (offset 0, the access mode asked for) on the same memory file
        reopened =
            Libc.open(
                "/proc/self/fd/" + memfd,
                (access == O_WRONLY ? Libc.O_RDWR : access) | (flags & O_APPEND) | Libc.O_CLOEXEC,
                0);
        if (!l.valid(n.id())) return;
        l.returnNewDescriptor(n.id(), reopened, cloexec);
      } catch (LastErrorException e) {
        throw new SupervisorException(e.getErrorCode(), "reopen memfd for " + path);
      } finally {
        TargetProcess.closeQuietly(reopened);
        if (!f.writable()) TargetProcess.closeQuietly(memfd);
      }
      if (f.writable()) written.track(pid, path, memfd);
      return;
    }
    if (r instanceof LayerReply.Directory d) {
      Path shadow = shadows.create(path, d.entries());
      int fd = -1;
      try {
        fd = Libc.open(shadow.toString(), Libc.O_RDONLY | O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (!l.valid(n.id())) return;
        l.returnNewDescriptor(n.id(), fd, cloexec);
      } catch (LastErrorException e) {
        throw new SupervisorException(e.getErrorCode(), "open listing of " + path);
      } finally {
        TargetProcess.closeQuietly(fd);
      }
      return;
    }
    throw new SupervisorException(5, "unexpected answer to open: " + r);
  }

  private static int memfd(String path, byte[] content) throws SupervisorException {
    int fd;
    try {
      fd = Libc.memfd_create("mirrord:" + Path.of(path).getFileName(), MFD_CLOEXEC);
    } catch (LastErrorException e) {
      throw new SupervisorException(e.getErrorCode(), "memfd_create");
    }
    if (content.length > 0) {
      try (Memory m = new Memory(content.length)) {
        m.write(0, content, 0, content.length);
        long done = 0;
        while (done < content.length) {
          done += Libc.write(fd, m.share(done), content.length - done);
        }
      } catch (LastErrorException e) {
        TargetProcess.closeQuietly(fd);
        throw new SupervisorException(e.getErrorCode(), "fill memfd");
      }
    }
    return fd;
  }

  /** stat/lstat/newfstatat ({@code statx} false) and statx: remote metadata into the struct. */
  void stat(
      Listener l, Notification n, int dirfd, int pathArg, int atFlags, int bufArg, boolean statx)
      throws SupervisorException {
    String path = path(n, dirfd, pathArg, atFlags);
    if (path == null || surelyLocal(path)) {
      l.proceed(n.id());
      return;
    }
    boolean follow = (atFlags & Syscalls.AT_SYMLINK_NOFOLLOW) == 0;
    int pid = TargetProcess.tgid(n.tid());
    long buf = n.args()[bufArg];
    Reply.when(
        calls.handle(pid, new LayerRequest.Stat(path, follow)),
        workers,
        l,
        n,
        r -> {
          if (Reply.common(l, n, r)) return;
          if (!(r instanceof LayerReply.Meta m))
            throw new SupervisorException(5, "unexpected answer to stat: " + r);
          TargetProcess.write(
              n.tid(), buf, statx ? StatLayout.statx(m.meta()) : StatLayout.stat(m.meta()));
          l.returnValue(n.id(), 0);
        });
  }

  void access(Listener l, Notification n, int dirfd, int pathArg, int mode)
      throws SupervisorException {
    String path = path(n, dirfd, pathArg, 0);
    if (path == null || surelyLocal(path)) {
      l.proceed(n.id());
      return;
    }
    int pid = TargetProcess.tgid(n.tid());
    Reply.when(
        calls.handle(pid, new LayerRequest.Access(path, mode)),
        workers,
        l,
        n,
        r -> {
          if (Reply.common(l, n, r)) return;
          l.returnValue(n.id(), 0);
        });
  }

  void readlink(Listener l, Notification n, int dirfd, int pathArg, int bufArg, int sizeArg)
      throws SupervisorException {
    String path = path(n, dirfd, pathArg, 0);
    if (path == null || surelyLocal(path)) {
      l.proceed(n.id());
      return;
    }
    int pid = TargetProcess.tgid(n.tid());
    Reply.when(
        calls.handle(pid, new LayerRequest.PathOp(LayerRequest.PathOp.Op.READLINK, path, null, 0)),
        workers,
        l,
        n,
        r -> {
          if (Reply.common(l, n, r)) return;
          if (!(r instanceof LayerReply.Name name))
            throw new SupervisorException(5, "unexpected answer to readlink: " + r);
          byte[] b = name.name().getBytes(StandardCharsets.UTF_8);
          int size = (int) Math.min(Integer.MAX_VALUE, n.args()[sizeArg]);
          byte[] cut = b.length <= size ? b : java.util.Arrays.copyOf(b, size);
          TargetProcess.write(n.tid(), n.args()[bufArg], cut);
          l.returnValue(n.id(), cut.length);
        });
  }

  /** mkdir/rmdir/unlink/rename: {@code second} is the rename target (or -1). */
  void pathOp(
      Listener l,
      Notification n,
      LayerRequest.PathOp.Op op,
      int dirfd,
      int pathArg,
      int dirfd2,
      int pathArg2,
      long arg)
      throws SupervisorException {
    String path = path(n, dirfd, pathArg, 0);
    String path2 = pathArg2 < 0 ? null : path(n, dirfd2, pathArg2, 0);
    if (path == null && (pathArg2 < 0 || path2 == null)) {
      l.proceed(n.id());
      return;
    }
    if (path == null || (pathArg2 >= 0 && path2 == null)) {
      l.fail(n.id(), 18); // EXDEV: between a local and a pod directory
      return;
    }
    if (surelyLocal(path) && (path2 == null || surelyLocal(path2))) {
      l.proceed(n.id());
      return;
    }
    int pid = TargetProcess.tgid(n.tid());
    Reply.when(
        calls.handle(pid, new LayerRequest.PathOp(op, path, path2, arg)),
        workers,
        l,
        n,
        r -> {
          if (Reply.common(l, n, r)) return;
          l.returnValue(n.id(), 0);
        });
  }
}
