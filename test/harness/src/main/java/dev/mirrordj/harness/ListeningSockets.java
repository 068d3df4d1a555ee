package dev.mirrordj.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a process's network namespace socket tables ({@code /proc/<pid>/net/tcp[6]}, {@code
 * udp[6]}) to tell whether something listens on a port there, without entering the namespace.
 */
public final class ListeningSockets {
  private static final String TCP_LISTEN = "0A";
  private static final String UDP_UNCONNECTED = "07";

  private ListeningSockets() {}

  /**
   * True when a TCP socket in {@code pid}'s network namespace listens on {@code port} (IPv4 or
   * IPv6).
   */
  public static boolean tcpListening(long pid, int port) {
    return anyMatch(pid, List.of("tcp", "tcp6"), port, TCP_LISTEN);
  }

  /**
   * True when an unconnected UDP socket in {@code pid}'s network namespace is bound to {@code
   * port}.
   */
  public static boolean udpBound(long pid, int port) {
    return anyMatch(pid, List.of("udp", "udp6"), port, UDP_UNCONNECTED);
  }

  private static boolean anyMatch(long pid, List<String> tables, int port, String state) {
    String hexPort = String.format(":%04X", port);
    for (String table : tables) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
      } catch (IOException e) {
        continue; // process gone or table absent (no IPv6): nothing listens there
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals(state)) {
          return true;
        }
      }
    }
    return false;
  }
}
