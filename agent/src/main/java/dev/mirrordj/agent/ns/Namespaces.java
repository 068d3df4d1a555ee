package dev.mirrordj.agent.ns;

import com.sun.jna.LastErrorException;

/**
 * Moves the calling thread into another process's namespace. Linux namespaces (net, UTS) are per
 * thread, so only dedicated threads call this: they stay in the target for their whole life.
 */
public final class Namespaces {
  private Namespaces() {}

  /** Joins {@code /proc/<pid>/ns/<kind>} ("net", "uts") on the calling thread. */
  public static void enter(long pid, String kind) {
    int type = switch (kind) {
      case "net" -> LibC.CLONE_NEWNET;
      case "uts" -> LibC.CLONE_NEWUTS;
      default -> throw new IllegalArgumentException("unsupported namespace kind " + kind + " (net, uts)");
    };
    String path = "/proc/" + pid + "/ns/" + kind;
    int fd;
    try {
      fd = LibC.INSTANCE.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new NamespaceException("cannot open " + path + ": errno " + e.getErrorCode(), e);
    }
    try {
      LibC.INSTANCE.setns(fd, type);
    } catch (LastErrorException e) {
      throw new NamespaceException("setns(" + path + ") failed: errno " + e.getErrorCode()
          + " (needs CAP_SYS_ADMIN)", e);
    } finally {
      LibC.INSTANCE.close(fd);
    }
  }

  /** The namespace identity of the calling thread, e.g. {@code net:[4026531840]}. */
  public static String currentThreadNs(String kind) {
    try {
      return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self/ns/" + kind)).toString();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** Failure to join a namespace: the agent cannot act for its target. */
  public static final class NamespaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NamespaceException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
