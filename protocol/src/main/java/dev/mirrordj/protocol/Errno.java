package dev.mirrordj.protocol;

/**
 * The one table of Linux numbers that travel between the program, the layer, the proxy and the
 * agent: errno values (the pod's failure handed to the program exactly as the syscall would have
 * returned it), glibc's getaddrinfo {@code EAI_*} codes and {@code open(2)}'s {@code O_*} flags.
 * Values are Linux x86-64's; LinuxTableTest compiles a C program that prints each one from the
 * system headers and fails on any difference, so nothing else in the code base keeps its own copy.
 */
public final class Errno {
  // errno
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EIO = 5;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EEXIST = 17;
  public static final int EXDEV = 18;
  public static final int ENOTDIR = 20;
  public static final int EISDIR = 21;
  public static final int EINVAL = 22;
  public static final int EMFILE = 24;
  public static final int EFBIG = 27;
  public static final int ENOSPC = 28;
  public static final int ESPIPE = 29;
  public static final int EROFS = 30;
  public static final int EPIPE = 32;
  public static final int ENAMETOOLONG = 36;
  public static final int ENOSYS = 38;
  public static final int ENOTEMPTY = 39;
  public static final int ELOOP = 40;
  public static final int EPROTO = 71;
  public static final int ENOTSUP = 95;
  public static final int EAFNOSUPPORT = 97;
  public static final int EADDRINUSE = 98;
  public static final int EADDRNOTAVAIL = 99;
  public static final int ENETUNREACH = 101;
  public static final int ECONNABORTED = 103;
  public static final int ECONNRESET = 104;
  public static final int ENOTCONN = 107;
  public static final int ETIMEDOUT = 110;
  public static final int ECONNREFUSED = 111;
  public static final int EHOSTUNREACH = 113;

  // getaddrinfo results (negative, as glibc returns them; 0 is success)
  public static final int EAI_NONAME = -2;
  public static final int EAI_AGAIN = -3;
  public static final int EAI_FAIL = -4;
  public static final int EAI_FAMILY = -6;
  public static final int EAI_SERVICE = -8;
  public static final int EAI_SYSTEM = -11;

  // open(2) flags
  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 01;
  public static final int O_RDWR = 02;
  public static final int O_ACCMODE = 03;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_TRUNC = 01000;
  public static final int O_APPEND = 02000;
  public static final int O_NONBLOCK = 04000;
  public static final int O_DIRECTORY = 0200000;
  public static final int O_NOFOLLOW = 0400000;
  public static final int O_CLOEXEC = 02000000;
  public static final int O_PATH = 010000000;

  private Errno() {}
}
