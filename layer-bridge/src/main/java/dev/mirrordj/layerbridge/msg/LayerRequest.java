package dev.mirrordj.layerbridge.msg;

import dev.mirrordj.protocol.Errno;

/** Requests a layer sends; one outstanding request per layer connection (the layer waits). */
public sealed interface LayerRequest {

  /** First message of every connection: who is asking. */
  record Hello(int pid, int ppid, String exe, String cmdline) implements LayerRequest {}

  /** An open of an absolute path with the application's Linux open flags. */
  record Open(String path, int flags, int mode) implements LayerRequest {
    public boolean forWriting() {
      return (flags & Errno.O_ACCMODE) != 0
          || (flags & (Errno.O_CREAT | Errno.O_TRUNC | Errno.O_APPEND)) != 0;
    }
  }

  record Stat(String path, boolean followLinks) implements LayerRequest {}

  /** statfs/statvfs of the filesystem holding an absolute path (links followed). */
  record StatFs(String path) implements LayerRequest {}

  record Access(String path, int mode) implements LayerRequest {}

  /** mkdir / rmdir / unlink / rename / truncate / readlink. */
  record PathOp(Op op, String path, String path2, long arg) implements LayerRequest {
    /** The u8 after the op byte; the C side spells it {@code enum ml_pathop} in layer.h. */
    public enum Op {
      MKDIR(1),
      RMDIR(2),
      UNLINK(3),
      RENAME(4),
      TRUNCATE(5),
      READLINK(6);

      public final int code;

      Op(int code) {
        this.code = code;
      }

      /** The operation for a wire byte, or null when the number is not in the table. */
      public static Op of(int code) {
        for (Op op : values()) if (op.code == code) return op;
        return null;
      }
    }
  }

  /** Whole new content of a remotely written file (sent on close and fsync). */
  record WriteBack(String path, byte[] content) implements LayerRequest {}

  /**
   * Outgoing stream connect or datagram destination. nonBlocking: the socket is O_NONBLOCK, so the
   * proxy must answer before the pod side is connected (the interceptor holds the bytes meanwhile).
   */
  record Connect(SockType type, SockAddr address, boolean nonBlocking) implements LayerRequest {}

  /** The pod-side local address of the redirected stream whose interceptor is at this address. */
  record ConnectionInfo(SockAddr interceptor) implements LayerRequest {}

  /**
   * incoming: binding {@code requested} failed with EADDRINUSE locally; Ok = the port will be
   * subscribed, so the layer binds a random local port instead (Local = keep the error).
   */
  record BindBusy(SockAddr requested) implements LayerRequest {}

  record Dns(String node, String service, int family, int socktype, int protocol, int flags)
      implements LayerRequest {}

  record Hostname() implements LayerRequest {}

  /** The application started listening on a real local socket. */
  record Listen(SockAddr address, int requestedPort) implements LayerRequest {
    /** A listener on the port it asked for. */
    public Listen(SockAddr address) {
      this(address, address.port());
    }
  }

  /** feature.env.load_from_process: the program asks for the pod's environment at start. */
  record GetEnv() implements LayerRequest {}

  /** incoming: the last descriptor of a listener reported by {@link Listen} was closed. */
  record Unlisten(SockAddr address) implements LayerRequest {}

  /** Socket types the layer routes. */
  enum SockType {
    STREAM,
    DGRAM
  }
}
