package dev.mirrordj.verticles.proxy.seccomp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The C library calls the supervisor makes, bound by JNA direct mapping (the cheapest JNA call
 * path: the notification loop makes several per intercepted system call). Every function reports
 * failure as {@link LastErrorException} carrying the errno.
 */
final class Libc {
  static {
    Native.register("c");
  }

  // system call numbers (x86-64)
  static final long SYS_PIDFD_OPEN = 434, SYS_PIDFD_GETFD = 438;

  // seccomp user-notification ioctls (x86-64 encodings)
  static final long NOTIF_RECV = 0xc0502100L,
      NOTIF_SEND = 0xc0182101L,
      NOTIF_ID_VALID = 0x40082102L,
      NOTIF_ADDFD = 0x40182103L;
  static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
  static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 02000000;
  static final int SOL_SOCKET = 1, SO_TYPE = 3, SO_DOMAIN = 39;
  static final int F_GETFL = 3, O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
  static final int O_RDONLY = 0, O_RDWR = 2, O_DIRECTORY = 0200000;
  static final int POLLIN = 1, POLLHUP = 0x10;
  static final int EINTR = 4, ENOENT = 2, EINPROGRESS = 115, EAGAIN = 11;

  private Libc() {}

  static native int socket(int domain, int type, int protocol) throws LastErrorException;

  static native int bind(int fd, Pointer addr, int len) throws LastErrorException;

  static native int listen(int fd, int backlog) throws LastErrorException;

  static native int accept(int fd, Pointer addr, Pointer len) throws LastErrorException;

  static native int connect(int fd, Pointer addr, int len) throws LastErrorException;

  static native long recvmsg(int fd, Pointer msg, int flags) throws LastErrorException;

  static native long write(int fd, Pointer buf, long count) throws LastErrorException;

  static native long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

  static native long lseek(int fd, long offset, int whence) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native int shutdown(int fd, int how) throws LastErrorException;

  static native int poll(Pointer fds, long nfds, int timeout) throws LastErrorException;

  static native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

  static native long syscall(long number, long a, long b, long c) throws LastErrorException;

  static native long process_vm_readv(
      int pid, Pointer local, long liovcnt, Pointer remote, long riovcnt, long flags)
      throws LastErrorException;

  static native long process_vm_writev(
      int pid, Pointer local, long liovcnt, Pointer remote, long riovcnt, long flags)
      throws LastErrorException;

  static native int memfd_create(String name, int flags) throws LastErrorException;

  static native int open(String path, int flags, int mode) throws LastErrorException;

  static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

  static native int getsockopt(int fd, int level, int name, Pointer value, Pointer len)
      throws LastErrorException;

  static native int getsockname(int fd, Pointer addr, Pointer len) throws LastErrorException;

  static native int uname(Pointer buf) throws LastErrorException;
}
