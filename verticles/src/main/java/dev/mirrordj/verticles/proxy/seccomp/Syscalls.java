package dev.mirrordj.verticles.proxy.seccomp;

/** The x86-64 numbers of the calls the launcher's filter sends to the supervisor. */
final class Syscalls {
  static final int OPEN = 2,
      STAT = 4,
      LSTAT = 6,
      ACCESS = 21,
      CONNECT = 42,
      BIND = 49,
      LISTEN = 50,
      GETSOCKNAME = 51,
      GETPEERNAME = 52,
      UNAME = 63,
      RENAME = 82,
      MKDIR = 83,
      RMDIR = 84,
      CREAT = 85,
      UNLINK = 87,
      READLINK = 89,
      OPENAT = 257,
      MKDIRAT = 258,
      NEWFSTATAT = 262,
      UNLINKAT = 263,
      RENAMEAT = 264,
      READLINKAT = 267,
      FACCESSAT = 269,
      RENAMEAT2 = 316,
      STATX = 332,
      FACCESSAT2 = 439;

  static final int AT_FDCWD = -100;
  static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;

  private Syscalls() {}
}
