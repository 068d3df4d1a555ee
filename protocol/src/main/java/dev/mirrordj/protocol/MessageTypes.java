package dev.mirrordj.protocol;

/**
 * Type codes, grouped in ranges of 256. Within a range, 0x00-0x7F are requests or notices and
 * 0x80-0xFF are replies. Codes are never reused or renumbered; see protocol/README.md.
 */
public final class MessageTypes {
  // 0x0000-0x00FF control
  public static final int HELLO = 0x0001;
  public static final int HELLO_OK = 0x0002;
  public static final int PING = 0x0003;
  public static final int PONG = 0x0004;
  public static final int ERROR = 0x0005;
  public static final int OK = 0x0006;
  public static final int GOODBYE = 0x0007;

  /** The operator: a session's first frame, an admin command, a line for the user. */
  public static final int OPERATOR_HELLO = 0x0008;

  public static final int OPERATOR_COMMAND = 0x0009;
  public static final int NOTICE = 0x000A;
  public static final int OPERATOR_RESULT = 0x0089;

  /**
   * Proof that the connecting side holds the server's secret: asked for first, answered with a
   * challenge, proven before anything else is served.
   */
  public static final int AUTH_REQUEST = 0x000B;

  public static final int AUTH_PROOF = 0x000C;
  public static final int AUTH_CHALLENGE = 0x008B;

  // 0x0100-0x01FF files
  public static final int FILE_OPEN = 0x0101;
  public static final int FILE_READ = 0x0102;
  public static final int FILE_PREAD = 0x0103;
  public static final int FILE_WRITE = 0x0104;
  public static final int FILE_PWRITE = 0x0105;
  public static final int FILE_SEEK = 0x0106;
  public static final int FILE_CLOSE = 0x0107;
  public static final int FILE_FETCH = 0x0108;
  public static final int FILE_STAT = 0x0109;
  public static final int FILE_FSTAT = 0x010A;
  public static final int FILE_ACCESS = 0x010B;
  public static final int FILE_OPENDIR = 0x010C;
  public static final int FILE_READDIR = 0x010D;
  public static final int FILE_READLINK = 0x010E;
  public static final int FILE_MKDIR = 0x010F;
  public static final int FILE_RMDIR = 0x0110;
  public static final int FILE_UNLINK = 0x0111;
  public static final int FILE_RENAME = 0x0112;
  public static final int FILE_TRUNCATE = 0x0113;
  public static final int FILE_FTRUNCATE = 0x0114;
  public static final int FILE_STATFS = 0x0115;
  public static final int FILE_HANDLE = 0x0181;
  public static final int FILE_BYTES = 0x0182;
  public static final int FILE_COUNT = 0x0183;
  public static final int FILE_CHUNK = 0x0184;
  public static final int FILE_STAT_REPLY = 0x0185;
  public static final int FILE_DIR_ENTRIES = 0x0186;
  public static final int FILE_PATH = 0x0187;
  public static final int FILE_FS_STAT = 0x0188;

  // 0x0200-0x02FF environment, DNS, hostname
  public static final int ENV_GET = 0x0201;
  public static final int DNS_RESOLVE = 0x0202;
  public static final int DNS_REVERSE = 0x0203;
  public static final int HOSTNAME_GET = 0x0204;
  public static final int ENV_REPLY = 0x0281;
  public static final int DNS_ADDRINFO = 0x0282;
  public static final int NAME_REPLY = 0x0283;

  // 0x0300-0x03FF outgoing streams (TCP, UDP, unix stream)
  public static final int NET_CONNECT = 0x0301;
  public static final int NET_DATA = 0x0302;
  public static final int NET_SHUTDOWN = 0x0303;
  public static final int NET_CLOSE = 0x0304;
  public static final int NET_CREDIT = 0x0305;
  public static final int NET_CONNECTED = 0x0381;

  /**
   * 0x0400-0x04FF: reserved for incoming traffic (subscribe, new connection, data, close, loss).
   */
  public static final int INCOMING_FIRST = 0x0400;

  public static final int INCOMING_LAST = 0x04FF;

  private MessageTypes() {}

  /** Human-readable name for logs; unknown codes print as hex. */
  public static String name(int type) {
    for (var f : MessageTypes.class.getFields()) {
      try {
        if (f.getType() == int.class
            && f.getInt(null) == type
            && !f.getName().startsWith("INCOMING_")) {
          return f.getName();
        }
      } catch (IllegalAccessException e) {
        break;
      }
    }
    return String.format("0x%04X", type);
  }
}
