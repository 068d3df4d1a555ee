package dev.mirrordj.sniffer;

import com.sun.jna.LastErrorException;
import dev.mirrordj.sys.LibC;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Moves threads into a network namespace with {@code setns(2)}. Namespaces are per thread, so every
 * socket and pcap handle meant for the target must be created on such a thread: the kernel puts a
 * socket in the namespace of the thread that creates it.
 */
public final class NetNamespace {

  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY_CLOEXEC = 0x80000;

  private NetNamespace() {}

  /**
   * Moves the calling thread into the namespace at {@code nsPath} (e.g. {@code /proc/PID/ns/net} or
   * {@code /run/netns/NAME}). A null path leaves the thread where it is.
   */
  public static void enter(Path nsPath) {
    if (nsPath == null) {
      return;
    }
    int fd;
    try {
      fd = LibC.INSTANCE.open(nsPath.toString(), O_RDONLY_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new NamespaceException(
          "cannot open network namespace " + nsPath + ": errno " + e.getErrorCode(), e);
    }
    try {
      LibC.INSTANCE.setns(fd, CLONE_NEWNET);
    } catch (LastErrorException e) {
      throw new NamespaceException(
          "setns into " + nsPath + " failed: errno " + e.getErrorCode() + " (needs CAP_SYS_ADMIN)",
          e);
    } finally {
      LibC.INSTANCE.close(fd);
    }
  }

  /** A thread factory whose threads run in the namespace at {@code nsPath} (null: no change). */
  public static ThreadFactory threadFactory(Path nsPath, String namePrefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t =
          new Thread(
              () -> {
                enter(nsPath);
                r.run();
              },
              namePrefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Raised when a thread cannot join a network namespace. */
  public static final class NamespaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NamespaceException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
