package dev.mirrordj.verticles.proxy.seccomp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * One seccomp listener (a launched program and all its descendants): receive notifications and
 * answer them. Answers may come from any thread; a notification whose task was interrupted or died
 * is simply gone (the kernel says ENOENT), which is not an error here.
 */
final class Listener implements AutoCloseable {
  private static final int FLAG_CONTINUE = 1;
  private static final int ADDFD_FLAG_SEND = 2;

  private final int fd;
  private volatile boolean closed;

  Listener(int fd) {
    this.fd = fd;
  }

  int fd() {
    return fd;
  }

  /**
   * Waits up to {@code timeoutMillis} for the next notification; null on timeout. Throws {@link
   * ListenerGoneException} once no supervised task is left.
   */
  Notification receive(Memory buf, int timeoutMillis) throws ListenerGoneException {
    try (Memory pfd = new Memory(8)) {
      pfd.setInt(0, fd);
      pfd.setShort(4, (short) Libc.POLLIN);
      pfd.setShort(6, (short) 0);
      int n;
      try {
        n = Libc.poll(pfd, 1, timeoutMillis);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == Libc.EINTR) return null;
        throw new ListenerGoneException("poll: errno " + e.getErrorCode());
      }
      if (n == 0) return null;
      short revents = pfd.getShort(6);
      if ((revents & Libc.POLLIN) == 0 && (revents & Libc.POLLHUP) != 0)
        throw new ListenerGoneException("every supervised process has exited");
    }
    buf.clear(Notification.SIZE);
    try {
      Libc.ioctl(fd, Libc.NOTIF_RECV, buf);
    } catch (LastErrorException e) {
      // ENOENT: the task was interrupted between poll and receive
      if (e.getErrorCode() == Libc.ENOENT || e.getErrorCode() == Libc.EINTR) return null;
      throw new ListenerGoneException("receive: errno " + e.getErrorCode());
    }
    return Notification.read(buf);
  }

  /** Still waiting: its memory and descriptors belong to the process that made the call. */
  boolean valid(long id) {
    try (Memory m = new Memory(8)) {
      m.setLong(0, id);
      Libc.ioctl(fd, Libc.NOTIF_ID_VALID, m);
      return true;
    } catch (LastErrorException e) {
      return false;
    }
  }

  /** The kernel runs the call itself, as if it had not been intercepted. */
  void proceed(long id) {
    send(id, 0, 0, FLAG_CONTINUE);
  }

  void returnValue(long id, long value) {
    send(id, value, 0, 0);
  }

  /** The call fails with this errno (a positive number). */
  void fail(long id, int errno) {
    send(id, 0, -Math.abs(errno), 0);
  }

  /**
   * Installs our descriptor {@code srcfd} in the target and makes it the call's return value, in
   * one step: a failed answer cannot leak the descriptor into the program.
   */
  void returnNewDescriptor(long id, int srcfd, boolean cloexec) {
    if (closed) return;
    try (Memory m = new Memory(24)) {
      m.setLong(0, id);
      m.setInt(8, ADDFD_FLAG_SEND);
      m.setInt(12, srcfd);
      m.setInt(16, 0);
      m.setInt(20, cloexec ? Libc.O_CLOEXEC : 0);
      Libc.ioctl(fd, Libc.NOTIF_ADDFD, m);
    } catch (LastErrorException e) {
      // the task went away or was interrupted: it will ask again (if alive)
    }
  }

  private void send(long id, long value, int error, int flags) {
    if (closed) return;
    try (Memory m = new Memory(24)) {
      m.setLong(0, id);
      m.setLong(8, value);
      m.setInt(16, error);
      m.setInt(20, flags);
      Libc.ioctl(fd, Libc.NOTIF_SEND, m);
    } catch (LastErrorException e) {
      // ENOENT: interrupted or dead; nothing waits for this answer any more
    }
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    TargetProcess.closeQuietly(fd);
  }
}
