package dev.mirrordj.layerbridge.msg;

import java.net.InetAddress;
import java.util.List;

/** Answers to {@link LayerRequest}s. */
public sealed interface LayerReply {

  /** Do it locally: the layer calls the real libc function. */
  record Local() implements LayerReply {}

  /** Fail with this errno. */
  record Errno(int errno) implements LayerReply {}

  record Ok() implements LayerReply {}

  /** A remote file's bytes; writable means changes are written back on close/fsync. */
  record FileContent(boolean writable, FileMeta meta, byte[] content) implements LayerReply {}

  record Directory(List<DirEntry> entries) implements LayerReply {}

  record Meta(FileMeta meta) implements LayerReply {}

  /** The pod's statfs figures for the filesystem holding a path. */
  record FsStats(dev.mirrordj.protocol.FsStat stat) implements LayerReply {}

  /** Connect (or send) to this local interceptor instead. */
  record Redirect(SockAddr interceptor) implements LayerReply {}

  /** An address: the pod-side local address of a redirected connection. */
  record Address(SockAddr address) implements LayerReply {}

  record Addresses(String canonicalName, List<InetAddress> addresses) implements LayerReply {}

  /** A name: readlink target or hostname. */
  record Name(String name) implements LayerReply {}

  /** getaddrinfo error code (EAI_*, negative as in glibc). */
  record Eai(int code) implements LayerReply {}

  /** Variables to set in the process (load_from_process). */
  record Environment(java.util.Map<String, String> variables) implements LayerReply {}

  /**
   * Session setup for a process: feature flags and paths the layer may treat as local without
   * asking (exact directory prefixes and case-insensitive suffixes).
   */
  record Hello(
      int flags,
      List<String> localPrefixes,
      List<String> localSuffixes,
      java.util.Map<Integer, Integer> listenPorts)
      implements LayerReply {
    public static final int FS = 0x01,
        OUTGOING = 0x02,
        DNS = 0x04,
        HOSTNAME = 0x08,
        SKIP = 0x10,
        UNIX_STREAMS = 0x20,
        LISTEN = 0x40;

    /** Without listen_ports (requested port → local port really bound). */
    public Hello(int flags, List<String> localPrefixes, List<String> localSuffixes) {
      this(flags, localPrefixes, localSuffixes, java.util.Map.of());
    }
  }

  LayerReply LOCAL = new Local();
  LayerReply OK = new Ok();

  static LayerReply errno(int e) {
    return new Errno(e);
  }
}
