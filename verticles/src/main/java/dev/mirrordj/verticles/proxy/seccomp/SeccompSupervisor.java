package dev.mirrordj.verticles.proxy.seccomp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seccomp layer's supervisor: accepts the launcher's listener on a unix socket (SCM_RIGHTS),
 * then answers every intercepted call of the launched program and its descendants with the same
 * requests the LD_PRELOAD layer sends to the proxy. One receive thread per listener; answers that
 * wait for the pod complete on worker threads.
 */
public final class SeccompSupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SeccompSupervisor.class);
  private static final int SCM_RIGHTS = 1, MSG_CMSG_CLOEXEC = 0x40000000, SHUT_RDWR = 2;
  private static final int POLL_MILLIS = 500;

  /** Told when a launched program tree starts and when its last process is gone. */
  public interface Observer {
    void programStarted();

    void programGone();
  }

  private final Path socketPath;
  private final int serverFd;
  private final CallRouter router;
  private final WrittenFiles written;
  private final ListenerWatch watch;
  private final Observer observer;
  private final ExecutorService workers;
  private final ScheduledExecutorService sweeper;
  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private final AtomicInteger threadIds = new AtomicInteger();
  private volatile boolean closed;

  private SeccompSupervisor(
      Path socketPath, int serverFd, SupervisedCalls calls, Path workDir, Observer observer) {
    this.socketPath = socketPath;
    this.serverFd = serverFd;
    this.observer = observer;
    this.workers =
        Executors.newCachedThreadPool(
            r -> daemon(r, "seccomp-worker-" + threadIds.incrementAndGet()));
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "seccomp-sweeper"));
    this.written = new WrittenFiles(calls);
    this.watch = new ListenerWatch(calls);
    this.router =
        CallRouter.create(
            calls, workers, new ShadowDirectories(workDir.resolve("dirs")), written, watch);
    sweeper.scheduleWithFixedDelay(written::sweep, 200, 200, TimeUnit.MILLISECONDS);
    sweeper.scheduleWithFixedDelay(watch::sweep, 200, 200, TimeUnit.MILLISECONDS);
  }

  /** Listens on {@code socketPath} (the launcher's first argument) and serves from now on. */
  public static SeccompSupervisor start(
      Path socketPath, Path workDir, SupervisedCalls calls, Observer observer) throws IOException {
    Files.createDirectories(workDir);
    byte[] path = socketPath.toString().getBytes(StandardCharsets.UTF_8);
    if (path.length >= 108) throw new IOException("socket path too long: " + socketPath);
    int fd = -1;
    try (Memory sa = new Memory(110)) {
      sa.clear();
      sa.setShort(0, (short) Libc.AF_UNIX);
      sa.write(2, path, 0, path.length);
      fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
      Libc.bind(fd, sa, 110);
      Libc.listen(fd, 16);
    } catch (LastErrorException e) {
      TargetProcess.closeQuietly(fd);
      throw new IOException(
          "seccomp supervisor socket " + socketPath + ": errno " + e.getErrorCode());
    }
    SeccompSupervisor s = new SeccompSupervisor(socketPath, fd, calls, workDir, observer);
    Thread t = new Thread(s::acceptLoop, "seccomp-accept");
    t.setDaemon(true);
    t.start();
    return s;
  }

  public Path socketPath() {
    return socketPath;
  }

  private void acceptLoop() {
    while (!closed) {
      int conn;
      try {
        conn = Libc.accept(serverFd, null, null);
      } catch (LastErrorException e) {
        if (closed) return;
        if (e.getErrorCode() == Libc.EINTR) continue;
        log.warn("seccomp supervisor stopped accepting: errno {}", e.getErrorCode());
        return;
      }
      try {
        int listenerFd = receiveListener(conn);
        Listener listener = new Listener(listenerFd);
        listeners.add(listener);
        observer.programStarted();
        Thread t =
            new Thread(() -> serve(listener), "seccomp-listener-" + threadIds.incrementAndGet());
        t.setDaemon(true);
        t.start();
        // only now may the launcher make filtered calls: someone is there to answer them
        try (Memory ack = new Memory(1)) {
          ack.setByte(0, (byte) 'A');
          Libc.write(conn, ack, 1);
        }
      } catch (LastErrorException | IOException e) {
        log.warn("seccomp launcher handshake failed: {}", e.getMessage());
      } finally {
        TargetProcess.closeQuietly(conn);
      }
    }
  }

  private static int receiveListener(int conn) throws IOException {
    try (Memory data = new Memory(1);
        Memory iov = new Memory(16);
        Memory control = new Memory(24);
        Memory msg = new Memory(56)) {
      msg.clear();
      control.clear();
      iov.setPointer(0, data);
      iov.setLong(8, 1);
      msg.setPointer(16, iov);
      msg.setLong(24, 1);
      msg.setPointer(32, control);
      msg.setLong(40, 24);
      long n = Libc.recvmsg(conn, msg, MSG_CMSG_CLOEXEC);
      if (n != 1
          || msg.getLong(40) < 20
          || control.getInt(8) != 1 /* SOL_SOCKET */
          || control.getInt(12) != SCM_RIGHTS)
        throw new IOException("the launcher sent no listener");
      return control.getInt(16);
    }
  }

  private void serve(Listener listener) {
    try (Memory buf = new Memory(Notification.SIZE)) {
      while (!closed) {
        Notification n = listener.receive(buf, POLL_MILLIS);
        if (n != null) router.dispatch(listener, n);
      }
    } catch (ListenerGoneException e) {
      log.debug("seccomp listener {} done: {}", listener.fd(), e.getMessage());
    } finally {
      listeners.remove(listener);
      listener.close();
      written.sweep();
      observer.programGone();
    }
  }

  /**
   * Stops serving. Programs still running then get ENOSYS from every intercepted call (the kernel's
   * answer when no supervisor is left), never a hang. Written files go back to the pod first.
   */
  @Override
  public void close() {
    if (closed) return;
    try {
      written.flushAll().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("not every written file reached the pod: {}", e.toString());
    }
    closed = true;
    try {
      Libc.shutdown(serverFd, SHUT_RDWR);
    } catch (LastErrorException ignored) {
      // not listening any more
    }
    TargetProcess.closeQuietly(serverFd);
    listeners.forEach(Listener::close);
    sweeper.shutdownNow();
    workers.shutdown();
    try {
      Files.deleteIfExists(socketPath);
    } catch (IOException ignored) {
      // the session directory goes away with it
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
