package dev.mirrordj.verticles.proxy.seccomp;

import com.sun.jna.Pointer;

/**
 * One intercepted system call as the kernel reports it ({@code struct seccomp_notif}): {@code tid}
 * is the calling thread, {@code args} the raw register values.
 */
record Notification(long id, int tid, int nr, long[] args) {
  static final int SIZE = 80;

  static Notification read(Pointer p) {
    long[] args = new long[6];
    for (int i = 0; i < 6; i++) args[i] = p.getLong(32 + 8L * i);
    return new Notification(p.getLong(0), p.getInt(8), p.getInt(16), args);
  }

  /** Argument i as the C int the call takes (file descriptors, flags). */
  int intArg(int i) {
    return (int) args[i];
  }
}
