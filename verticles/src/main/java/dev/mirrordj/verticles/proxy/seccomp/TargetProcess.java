package dev.mirrordj.verticles.proxy.seccomp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Access to a supervised thread: its memory (process_vm_readv/writev, page by page so a string near
 * the end of a mapping is still read), its working directory and descriptors (/proc), and copies of
 * its descriptors (pidfd_getfd). Needs ptrace-level access to the target, which the process that
 * started it has.
 */
final class TargetProcess {
  private static final int PAGE = 4096;
  private static final int PATH_MAX = 4096;

  private TargetProcess() {}

  /** A NUL-terminated string at {@code address} in thread {@code tid}, at most PATH_MAX bytes. */
  static String readString(int tid, long address) throws SupervisorException {
    if (address == 0) throw new SupervisorException(14, "NULL path"); // EFAULT
    byte[] out = new byte[PATH_MAX];
    int have = 0;
    long at = address;
    try (Memory buf = new Memory(PAGE)) {
      while (have < PATH_MAX) {
        int chunk = (int) Math.min(PAGE - (at % PAGE), PATH_MAX - have);
        int n = read(tid, at, buf, chunk);
        for (int i = 0; i < n; i++) {
          byte b = buf.getByte(i);
          if (b == 0) return new String(out, 0, have, StandardCharsets.UTF_8);
          out[have++] = b;
        }
        if (n < chunk) break;
        at += n;
      }
    }
    throw new SupervisorException(36, "path longer than PATH_MAX"); // ENAMETOOLONG
  }

  /** Reads {@code length} bytes at {@code address}. */
  static byte[] readBytes(int tid, long address, int length) throws SupervisorException {
    if (length <= 0) return new byte[0];
    try (Memory buf = new Memory(length)) {
      int n = read(tid, address, buf, length);
      return buf.getByteArray(0, n);
    }
  }

  private static int read(int tid, long address, Memory buf, int length)
      throws SupervisorException {
    try (Memory iov = new Memory(32)) {
      iov.setPointer(0, buf);
      iov.setLong(8, length);
      iov.setLong(16, address);
      iov.setLong(24, length);
      return (int) Libc.process_vm_readv(tid, iov, 1, iov.share(16), 1, 0);
    } catch (LastErrorException e) {
      throw new SupervisorException(
          14, "cannot read memory of " + tid + ": errno " + e.getErrorCode());
    }
  }

  /** Writes {@code data} at {@code address} in the target. */
  static void write(int tid, long address, byte[] data) throws SupervisorException {
    if (data.length == 0) return;
    try (Memory buf = new Memory(data.length);
        Memory iov = new Memory(32)) {
      buf.write(0, data, 0, data.length);
      iov.setPointer(0, buf);
      iov.setLong(8, data.length);
      iov.setLong(16, address);
      iov.setLong(24, data.length);
      long n = Libc.process_vm_writev(tid, iov, 1, iov.share(16), 1, 0);
      if (n != data.length) throw new SupervisorException(14, "short write into " + tid);
    } catch (LastErrorException e) {
      throw new SupervisorException(
          14, "cannot write memory of " + tid + ": errno " + e.getErrorCode());
    }
  }

  /** The thread group (process) a thread belongs to: pidfds and policy work per process. */
  static int tgid(int tid) throws SupervisorException {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(tid), "status"))) {
        if (line.startsWith("Tgid:")) return Integer.parseInt(line.substring(5).trim());
      }
    } catch (IOException | NumberFormatException e) {
      throw new SupervisorException(3, "thread " + tid + " is gone"); // ESRCH
    }
    throw new SupervisorException(3, "no Tgid for thread " + tid);
  }

  /** What descriptor {@code fd} of thread {@code tid} points at ("socket:[123]", a path...). */
  static String fdTarget(int tid, int fd) {
    try {
      return Files.readSymbolicLink(
              Path.of("/proc", Integer.toString(tid), "fd", Integer.toString(fd)))
          .toString();
    } catch (IOException e) {
      return null;
    }
  }

  /** The working directory of thread {@code tid}. */
  static String cwd(int tid) throws SupervisorException {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Integer.toString(tid), "cwd")).toString();
    } catch (IOException e) {
      throw new SupervisorException(3, "no cwd for " + tid);
    }
  }

  /**
   * A copy (in the supervisor) of the target's descriptor: the same open file, so what the
   * supervisor does to it (connect, bind) the program's own descriptor has done.
   */
  static int duplicate(int pid, int fd) throws SupervisorException {
    int pidfd;
    try {
      pidfd = (int) Libc.syscall(Libc.SYS_PIDFD_OPEN, pid, 0, 0);
    } catch (LastErrorException e) {
      throw new SupervisorException(3, "pidfd_open(" + pid + "): errno " + e.getErrorCode());
    }
    try {
      return (int) Libc.syscall(Libc.SYS_PIDFD_GETFD, pidfd, fd, 0);
    } catch (LastErrorException e) {
      throw new SupervisorException(e.getErrorCode(), "pidfd_getfd(" + pid + ", " + fd + ")");
    } finally {
      Libc.close(pidfd);
    }
  }

  static void closeQuietly(int fd) {
    if (fd < 0) return;
    try {
      Libc.close(fd);
    } catch (LastErrorException ignored) {
      // nothing to do about a failed close of our own copy
    }
  }
}
