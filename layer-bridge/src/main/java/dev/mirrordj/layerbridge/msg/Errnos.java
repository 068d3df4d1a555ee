package dev.mirrordj.layerbridge.msg;

/** Linux errno and glibc EAI_* values used in replies. */
public final class Errnos {
  public static final int EPERM = 1,
      ENOENT = 2,
      EIO = 5,
      EBADF = 9,
      EACCES = 13,
      EEXIST = 17,
      EXDEV = 18,
      ENOTDIR = 20,
      EISDIR = 21,
      EINVAL = 22,
      EROFS = 30,
      ENOTEMPTY = 39,
      ENOSYS = 38,
      EAFNOSUPPORT = 97,
      ENETUNREACH = 101,
      ECONNRESET = 104,
      ETIMEDOUT = 110,
      ECONNREFUSED = 111,
      EHOSTUNREACH = 113;
  public static final int EAI_NONAME = -2,
      EAI_AGAIN = -3,
      EAI_FAIL = -4,
      EAI_FAMILY = -6,
      EAI_SERVICE = -8;

  private Errnos() {}
}
