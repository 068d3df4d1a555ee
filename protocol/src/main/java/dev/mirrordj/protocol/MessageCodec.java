package dev.mirrordj.protocol;

import static dev.mirrordj.protocol.MessageTypes.*;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns frames into typed messages. Unknown types and malformed bodies throw {@link
 * ProtocolException}; types in the reserved incoming range are reported as {@link
 * UnknownMessageException} so a peer can answer ENOSYS instead of closing.
 */
public final class MessageCodec {
  private static final Map<Integer, Function<WireReader, Message>> DECODERS = new HashMap<>();

  static {
    DECODERS.put(HELLO, Control.Hello::decode);
    DECODERS.put(HELLO_OK, Control.HelloOk::decode);
    DECODERS.put(PING, r -> new Control.Ping());
    DECODERS.put(PONG, r -> new Control.Pong());
    DECODERS.put(ERROR, Control.ErrorReply::decode);
    DECODERS.put(OK, r -> new Control.Ok());
    DECODERS.put(GOODBYE, Control.Goodbye::decode);
    DECODERS.put(FILE_OPEN, Files.Open::decode);
    DECODERS.put(FILE_READ, Files.Read::decode);
    DECODERS.put(FILE_PREAD, Files.Pread::decode);
    DECODERS.put(FILE_WRITE, Files.Write::decode);
    DECODERS.put(FILE_PWRITE, Files.Pwrite::decode);
    DECODERS.put(FILE_SEEK, Files.Seek::decode);
    DECODERS.put(FILE_CLOSE, Files.Close::decode);
    DECODERS.put(FILE_FETCH, Files.Fetch::decode);
    DECODERS.put(FILE_STAT, Files.Stat::decode);
    DECODERS.put(FILE_FSTAT, Files.Fstat::decode);
    DECODERS.put(FILE_ACCESS, Files.Access::decode);
    DECODERS.put(FILE_OPENDIR, Files.OpenDir::decode);
    DECODERS.put(FILE_READDIR, Files.ReadDir::decode);
    DECODERS.put(FILE_READLINK, Files.ReadLink::decode);
    DECODERS.put(FILE_MKDIR, Files.Mkdir::decode);
    DECODERS.put(FILE_RMDIR, Files.Rmdir::decode);
    DECODERS.put(FILE_UNLINK, Files.Unlink::decode);
    DECODERS.put(FILE_RENAME, Files.Rename::decode);
    DECODERS.put(FILE_TRUNCATE, Files.Truncate::decode);
    DECODERS.put(FILE_FTRUNCATE, Files.Ftruncate::decode);
    DECODERS.put(FILE_HANDLE, Files.HandleReply::decode);
    DECODERS.put(FILE_BYTES, Files.BytesReply::decode);
    DECODERS.put(FILE_COUNT, Files.CountReply::decode);
    DECODERS.put(FILE_CHUNK, Files.Chunk::decode);
    DECODERS.put(FILE_STAT_REPLY, Files.StatReply::decode);
    DECODERS.put(FILE_DIR_ENTRIES, Files.DirEntriesReply::decode);
    DECODERS.put(FILE_PATH, Files.PathReply::decode);
    DECODERS.put(FILE_STATFS, Files.StatFs::decode);
    DECODERS.put(FILE_FS_STAT, Files.FsStatReply::decode);
    DECODERS.put(ENV_GET, Lookups.GetEnv::decode);
    DECODERS.put(ENV_REPLY, Lookups.EnvReply::decode);
    DECODERS.put(DNS_RESOLVE, Lookups.Resolve::decode);
    DECODERS.put(DNS_ADDRINFO, Lookups.AddrInfoReply::decode);
    DECODERS.put(DNS_REVERSE, Lookups.Reverse::decode);
    DECODERS.put(HOSTNAME_GET, r -> new Lookups.GetHostname());
    DECODERS.put(NAME_REPLY, Lookups.NameReply::decode);
    DECODERS.put(NET_CONNECT, Net.Connect::decode);
    DECODERS.put(NET_CONNECTED, Net.Connected::decode);
    DECODERS.put(NET_DATA, Net.Data::decode);
    DECODERS.put(NET_SHUTDOWN, Net.Shutdown::decode);
    DECODERS.put(NET_CLOSE, Net.Close::decode);
    DECODERS.put(NET_CREDIT, Net.Credit::decode);
  }

  private MessageCodec() {}

  /**
   * Registers a decoder for a type in the reserved incoming range (used by the incoming module).
   */
  public static synchronized void registerIncoming(
      int type, Function<WireReader, Message> decoder) {
    if (type < INCOMING_FIRST || type > INCOMING_LAST) {
      throw new IllegalArgumentException(
          "type 0x" + Integer.toHexString(type) + " is outside the incoming range");
    }
    DECODERS.put(type, decoder);
  }

  /** Decodes the frame's body fully; trailing bytes are an error. */
  public static Message decode(Frame frame) {
    Function<WireReader, Message> decoder = DECODERS.get(frame.type());
    if (decoder == null) {
      throw new UnknownMessageException(frame.type());
    }
    WireReader r = new WireReader(frame.body());
    Message m = decoder.apply(r);
    r.end(MessageTypes.name(frame.type()));
    return m;
  }

  /** Thrown for a well-framed message whose type this side does not know. */
  public static final class UnknownMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int messageType;

    UnknownMessageException(int type) {
      super("unknown message type " + String.format("0x%04X", type));
      this.messageType = type;
    }

    public int messageType() {
      return messageType;
    }
  }
}
