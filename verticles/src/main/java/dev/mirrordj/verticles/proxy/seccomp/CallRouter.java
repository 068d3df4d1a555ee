package dev.mirrordj.verticles.proxy.seccomp;

import static dev.mirrordj.verticles.proxy.seccomp.Syscalls.AT_FDCWD;

import dev.mirrordj.layerbridge.msg.LayerRequest.PathOp.Op;
import java.util.concurrent.Executor;

/**
 * Sends each intercepted call to the code that serves it. Runs on a listener's receive thread:
 * everything here only reads the program's memory and /proc; waiting for the proxy happens in
 * futures, so one slow pod answer does not hold up the program's other threads.
 */
final class CallRouter {
  private final FileCalls files;
  private final SocketCalls sockets;
  private final ListeningSockets listening;
  private final HostCalls host;

  CallRouter(FileCalls files, SocketCalls sockets, ListeningSockets listening, HostCalls host) {
    this.files = files;
    this.sockets = sockets;
    this.listening = listening;
    this.host = host;
  }

  static CallRouter create(
      SupervisedCalls calls,
      Executor workers,
      ShadowDirectories shadows,
      WrittenFiles written,
      ListenerWatch watch) {
    return new CallRouter(
        new FileCalls(calls, workers, shadows, written),
        new SocketCalls(calls, workers),
        new ListeningSockets(calls, workers, watch),
        new HostCalls(calls, workers));
  }

  void dispatch(Listener l, Notification n) {
    Reply.run(l, n, () -> route(l, n));
  }

  private void route(Listener l, Notification n) throws SupervisorException {
    long[] a = n.args();
    switch (n.nr()) {
      case Syscalls.OPEN -> files.open(l, n, AT_FDCWD, 0, (int) a[1], (int) a[2]);
      case Syscalls.OPENAT -> files.open(l, n, n.intArg(0), 1, (int) a[2], (int) a[3]);
      case Syscalls.CREAT -> files.open(l, n, AT_FDCWD, 0, 01 | 0100 | 01000, (int) a[1]);
      case Syscalls.STAT -> files.stat(l, n, AT_FDCWD, 0, 0, 1, false);
      case Syscalls.LSTAT -> files.stat(l, n, AT_FDCWD, 0, Syscalls.AT_SYMLINK_NOFOLLOW, 1, false);
      case Syscalls.NEWFSTATAT -> files.stat(l, n, n.intArg(0), 1, (int) a[3], 2, false);
      case Syscalls.STATX -> files.stat(l, n, n.intArg(0), 1, (int) a[2], 4, true);
      case Syscalls.ACCESS -> files.access(l, n, AT_FDCWD, 0, (int) a[1]);
      case Syscalls.FACCESSAT, Syscalls.FACCESSAT2 ->
          files.access(l, n, n.intArg(0), 1, (int) a[2]);
      case Syscalls.READLINK -> files.readlink(l, n, AT_FDCWD, 0, 1, 2);
      case Syscalls.READLINKAT -> files.readlink(l, n, n.intArg(0), 1, 2, 3);
      case Syscalls.MKDIR -> files.pathOp(l, n, Op.MKDIR, AT_FDCWD, 0, 0, -1, a[1]);
      case Syscalls.MKDIRAT -> files.pathOp(l, n, Op.MKDIR, n.intArg(0), 1, 0, -1, a[2]);
      case Syscalls.RMDIR -> files.pathOp(l, n, Op.RMDIR, AT_FDCWD, 0, 0, -1, 0);
      case Syscalls.UNLINK -> files.pathOp(l, n, Op.UNLINK, AT_FDCWD, 0, 0, -1, 0);
      case Syscalls.UNLINKAT ->
          files.pathOp(
              l,
              n,
              (a[2] & Syscalls.AT_REMOVEDIR) != 0 ? Op.RMDIR : Op.UNLINK,
              n.intArg(0),
              1,
              0,
              -1,
              0);
      case Syscalls.RENAME -> files.pathOp(l, n, Op.RENAME, AT_FDCWD, 0, AT_FDCWD, 1, 0);
      case Syscalls.RENAMEAT -> files.pathOp(l, n, Op.RENAME, n.intArg(0), 1, n.intArg(2), 3, 0);
      case Syscalls.RENAMEAT2 -> {
        // flags (RENAME_NOREPLACE, EXCHANGE) have no pod equivalent: the kernel decides locally
        if (a[4] != 0) l.proceed(n.id());
        else files.pathOp(l, n, Op.RENAME, n.intArg(0), 1, n.intArg(2), 3, 0);
      }
      case Syscalls.CONNECT -> sockets.connect(l, n);
      case Syscalls.GETPEERNAME -> sockets.peerName(l, n);
      case Syscalls.BIND -> listening.bind(l, n);
      case Syscalls.LISTEN -> listening.listen(l, n);
      case Syscalls.GETSOCKNAME -> listening.sockName(l, n);
      case Syscalls.UNAME -> host.uname(l, n);
      default -> l.proceed(n.id());
    }
  }
}
