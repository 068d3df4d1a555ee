package dev.mirrordj.protocol;

import static dev.mirrordj.protocol.MessageTypes.*;

import dev.mirrordj.protocol.incoming.Incoming;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns frames into typed messages. Unknown types and malformed bodies throw {@link
 * ProtocolException}; types in the reserved incoming range are reported as {@link
 * UnknownMessageException} so a peer can answer ENOSYS instead of closing.
 */
public final class MessageCodec {
  /**
   * Every message this protocol knows, built once here and never changed afterwards: a new message
   * gets its line in this table (and its type constant in {@link MessageTypes}), nowhere else.
   */
  private static final Map<Integer, Function<WireReader, Message>> DECODERS =
      Map.ofEntries(
          decoder(HELLO, Control.Hello::decode),
          decoder(HELLO_OK, Control.HelloOk::decode),
          decoder(PING, r -> new Control.Ping()),
          decoder(PONG, r -> new Control.Pong()),
          decoder(ERROR, Control.ErrorReply::decode),
          decoder(OK, r -> new Control.Ok()),
          decoder(GOODBYE, Control.Goodbye::decode),
          decoder(OPERATOR_HELLO, Control.OperatorHello::decode),
          decoder(OPERATOR_COMMAND, Control.OperatorCommand::decode),
          decoder(OPERATOR_RESULT, Control.OperatorResult::decode),
          decoder(NOTICE, Control.Notice::decode),
          decoder(AUTH_REQUEST, r -> new Auth.Request()),
          decoder(AUTH_CHALLENGE, Auth.Challenge::decode),
          decoder(AUTH_PROOF, Auth.Proof::decode),
          decoder(FILE_OPEN, Files.Open::decode),
          decoder(FILE_READ, Files.Read::decode),
          decoder(FILE_PREAD, Files.Pread::decode),
          decoder(FILE_WRITE, Files.Write::decode),
          decoder(FILE_PWRITE, Files.Pwrite::decode),
          decoder(FILE_SEEK, Files.Seek::decode),
          decoder(FILE_CLOSE, Files.Close::decode),
          decoder(FILE_FETCH, Files.Fetch::decode),
          decoder(FILE_STAT, Files.Stat::decode),
          decoder(FILE_FSTAT, Files.Fstat::decode),
          decoder(FILE_ACCESS, Files.Access::decode),
          decoder(FILE_OPENDIR, Files.OpenDir::decode),
          decoder(FILE_READDIR, Files.ReadDir::decode),
          decoder(FILE_READLINK, Files.ReadLink::decode),
          decoder(FILE_MKDIR, Files.Mkdir::decode),
          decoder(FILE_RMDIR, Files.Rmdir::decode),
          decoder(FILE_UNLINK, Files.Unlink::decode),
          decoder(FILE_RENAME, Files.Rename::decode),
          decoder(FILE_TRUNCATE, Files.Truncate::decode),
          decoder(FILE_FTRUNCATE, Files.Ftruncate::decode),
          decoder(FILE_HANDLE, Files.HandleReply::decode),
          decoder(FILE_BYTES, Files.BytesReply::decode),
          decoder(FILE_COUNT, Files.CountReply::decode),
          decoder(FILE_CHUNK, Files.Chunk::decode),
          decoder(FILE_STAT_REPLY, Files.StatReply::decode),
          decoder(FILE_DIR_ENTRIES, Files.DirEntriesReply::decode),
          decoder(FILE_PATH, Files.PathReply::decode),
          decoder(FILE_STATFS, Files.StatFs::decode),
          decoder(FILE_FS_STAT, Files.FsStatReply::decode),
          decoder(ENV_GET, Lookups.GetEnv::decode),
          decoder(ENV_REPLY, Lookups.EnvReply::decode),
          decoder(DNS_RESOLVE, Lookups.Resolve::decode),
          decoder(DNS_ADDRINFO, Lookups.AddrInfoReply::decode),
          decoder(DNS_REVERSE, Lookups.Reverse::decode),
          decoder(HOSTNAME_GET, r -> new Lookups.GetHostname()),
          decoder(NAME_REPLY, Lookups.NameReply::decode),
          decoder(NET_CONNECT, Net.Connect::decode),
          decoder(NET_CONNECTED, Net.Connected::decode),
          decoder(NET_DATA, Net.Data::decode),
          decoder(NET_SHUTDOWN, Net.Shutdown::decode),
          decoder(NET_CLOSE, Net.Close::decode),
          decoder(NET_CREDIT, Net.Credit::decode),
          decoder(Incoming.PORT_SUBSCRIBE, Incoming.Subscribe::decode),
          decoder(Incoming.PORT_UNSUBSCRIBE, Incoming.Unsubscribe::decode),
          decoder(Incoming.IN_CONNECTION, Incoming.NewConnection::decode),
          decoder(Incoming.IN_DATA, Incoming.Data::decode),
          decoder(Incoming.IN_SHUTDOWN, Incoming.Shutdown::decode),
          decoder(Incoming.IN_CLOSE, Incoming.Close::decode),
          decoder(Incoming.IN_LOSS, Incoming.Loss::decode),
          decoder(Incoming.IN_CREDIT, Incoming.Credit::decode));

  private MessageCodec() {}

  private static Map.Entry<Integer, Function<WireReader, Message>> decoder(
      int type, Function<WireReader, Message> decode) {
    return Map.entry(type, decode);
  }

  /** Whether {@code type} is a message this protocol knows. */
  public static boolean knows(int type) {
    return DECODERS.containsKey(type);
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
