package dev.mirrordj.verticles.proxy.seccomp;

import com.sun.jna.Memory;

/** getsockopt of an int socket option on the supervisor's copy of a program's socket. */
final class SocketOptions {
  private SocketOptions() {}

  static int intOption(int fd, int option) {
    try (Memory v = new Memory(4);
        Memory len = new Memory(4)) {
      len.setInt(0, 4);
      Libc.getsockopt(fd, Libc.SOL_SOCKET, option, v, len);
      return v.getInt(0);
    }
  }
}
