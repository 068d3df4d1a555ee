package dev.mirrordj.harness;

import com.sun.jna.LastErrorException;
import dev.mirrordj.sys.LibC;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs Java code on a dedicated thread that joined a network namespace with setns(2).
 *
 * <p>Network namespaces are per thread, and a socket belongs to the namespace of the thread that
 * created it: a {@code new Socket(...)} made inside {@link #call} lives in the target namespace for
 * its whole life and may then be used from any thread. This is how tests act as a client in the
 * cluster or inside a pod.
 */
public final class NetnsExecutor implements AutoCloseable {
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int CLONE_NEWNET = 0x40000000;

  private final ExecutorService thread;
  private final Path nsPath;

  /**
   * Starts a thread joined to the network namespace at {@code nsPath} (/run/netns/X or
   * /proc/PID/ns/net).
   */
  public NetnsExecutor(Path nsPath) {
    this.nsPath = nsPath;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "netns-" + nsPath);
              t.setDaemon(true);
              return t;
            });
    call(
        () -> {
          join(nsPath);
          return null;
        });
  }

  private static void join(Path nsPath) {
    int fd;
    try {
      fd = LibC.INSTANCE.open(nsPath.toString(), O_RDONLY | O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new HarnessException("cannot open " + nsPath + ": errno " + e.getErrorCode(), e);
    }
    try {
      LibC.INSTANCE.setns(fd, CLONE_NEWNET);
    } catch (LastErrorException e) {
      throw new HarnessException("setns(" + nsPath + ") failed: errno " + e.getErrorCode(), e);
    } finally {
      LibC.INSTANCE.close(fd);
    }
  }

  /**
   * Runs {@code work} inside the namespace and returns its result; exceptions are rethrown
   * unchanged when unchecked.
   */
  public <T> T call(Callable<T> work) {
    Future<T> f = thread.submit(work);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HarnessException("interrupted in netns " + nsPath, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new HarnessException("in netns " + nsPath + ": " + cause, cause);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
