package dev.mirrordj.agent.ns;

import com.sun.jna.LastErrorException;
import dev.mirrordj.protocol.Errno;

/**
 * Moves the calling thread into another process's namespace. Linux namespaces (net, UTS) are per
 * thread, so only dedicated threads call this: they stay in the target for their whole life.
 */
public final class Namespaces {
  private Namespaces() {}

  /** Joins {@code /proc/<pid>/ns/<kind>} ("net", "uts") on the calling thread. */
  public static void enter(long pid, String kind) {
    int type =
        switch (kind) {
          case "net" -> LibC.CLONE_NEWNET;
          case "uts" -> LibC.CLONE_NEWUTS;
          default ->
              throw new IllegalArgumentException(
                  "unsupported namespace kind " + kind + " (net, uts)");
        };
    String path = "/proc/" + pid + "/ns/" + kind;
    int fd;
    try {
      fd = LibC.INSTANCE.open(path, Errno.O_RDONLY | Errno.O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new NamespaceException("cannot open " + path + ": errno " + e.getErrorCode(), e);
    }
    try {
      LibC.INSTANCE.setns(fd, type);
    } catch (LastErrorException e) {
      throw new NamespaceException(
          "setns(" + path + ") failed: errno " + e.getErrorCode() + " (needs CAP_SYS_ADMIN)", e);
    } finally {
      LibC.INSTANCE.close(fd);
    }
  }

  /**
   * Checks on a throwaway thread that the target's net and UTS namespaces can be joined, so a
   * missing privilege fails the agent's start with a clear message instead of killing event-loop
   * threads.
   */
  public static void probe(long pid) {
    java.util.concurrent.CompletableFuture<Void> result =
        new java.util.concurrent.CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                enter(pid, "net");
                enter(pid, "uts");
                result.complete(null);
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            },
            "ns-probe-" + pid);
    t.setDaemon(true);
    t.start();
    try {
      result.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw (RuntimeException) e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the target's namespaces", e);
    }
  }

  /** The namespace identity of the calling thread, e.g. {@code net:[4026531840]}. */
  public static String currentThreadNs(String kind) {
    try {
      return java.nio.file.Files.readSymbolicLink(
              java.nio.file.Path.of("/proc/thread-self/ns/" + kind))
          .toString();
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
