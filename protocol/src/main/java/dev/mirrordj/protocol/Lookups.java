package dev.mirrordj.protocol;

import static dev.mirrordj.protocol.MessageTypes.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Environment, DNS and hostname messages. */
public final class Lookups {
  private Lookups() {}

  /**
   * Success status in {@link AddrInfoReply} and {@link NameReply}; failures are {@link Errno}'s
   * {@code EAI_*} codes.
   */
  public static final int EAI_OK = 0;

  /**
   * The target's environment. Patterns use {@code *} (any run) and {@code ?} (one char); an empty
   * include list means everything. The agent always drops its default exclusions (PATH, HOME, ...).
   */
  public record GetEnv(List<String> include, List<String> exclude) implements Message {
    public int type() {
      return ENV_GET;
    }

    public void encode(WireWriter w) {
      w.list(include, WireWriter::string).list(exclude, WireWriter::string);
    }

    static GetEnv decode(WireReader r) {
      return new GetEnv(r.list(WireReader::string), r.list(WireReader::string));
    }
  }

  public record EnvReply(Map<String, String> vars) implements Message {
    public int type() {
      return ENV_REPLY;
    }

    public void encode(WireWriter w) {
      w.list(vars.entrySet(), (ww, e) -> ww.string(e.getKey()).string(e.getValue()));
    }

    static EnvReply decode(WireReader r) {
      Map<String, String> m = new LinkedHashMap<>();
      r.list(rr -> m.put(rr.string(), rr.string()));
      return new EnvReply(m);
    }
  }

  /**
   * getaddrinfo-like lookup. {@code family}: 0 any, 4 IPv4 only, 6 IPv6 only. {@code socktype}: 0
   * any (stream and datagram records), 1 SOCK_STREAM, 2 SOCK_DGRAM.
   */
  public record Resolve(String name, int family, int socktype) implements Message {
    public int type() {
      return DNS_RESOLVE;
    }

    public void encode(WireWriter w) {
      w.string(name).u8(family).u8(socktype);
    }

    static Resolve decode(WireReader r) {
      return new Resolve(r.string(), r.u8(), r.u8());
    }
  }

  /**
   * One address record: 4 or 16 address bytes, socket type (1 stream, 2 dgram), protocol (6 tcp, 17
   * udp).
   */
  public record AddrRecord(byte[] address, int socktype, int protocol) {}

  /**
   * {@code status} is {@link #EAI_OK} or an EAI code; NXDOMAIN is {@link Errno#EAI_NONAME}, not an
   * error frame.
   */
  public record AddrInfoReply(int status, String canonicalName, List<AddrRecord> records)
      implements Message {
    public int type() {
      return DNS_ADDRINFO;
    }

    public void encode(WireWriter w) {
      w.i32(status)
          .string(canonicalName)
          .list(records, (ww, a) -> ww.bytes(a.address()).u8(a.socktype()).u8(a.protocol()));
    }

    static AddrInfoReply decode(WireReader r) {
      int status = r.i32();
      String cname = r.string();
      List<AddrRecord> recs =
          r.list(
              rr -> {
                byte[] a = rr.bytes().getBytes();
                if (a.length != 4 && a.length != 16) {
                  throw new ProtocolException(
                      "address record must have 4 or 16 bytes, got " + a.length);
                }
                return new AddrRecord(a, rr.u8(), rr.u8());
              });
      return new AddrInfoReply(status, cname, recs);
    }
  }

  /** Reverse lookup of a 4- or 16-byte address; reply {@link NameReply}. */
  public record Reverse(byte[] address) implements Message {
    public int type() {
      return DNS_REVERSE;
    }

    public void encode(WireWriter w) {
      w.bytes(address);
    }

    static Reverse decode(WireReader r) {
      byte[] a = r.bytes().getBytes();
      if (a.length != 4 && a.length != 16) {
        throw new ProtocolException(
            "reverse lookup address must have 4 or 16 bytes, got " + a.length);
      }
      return new Reverse(a);
    }
  }

  /** The target's hostname (from its UTS namespace); reply {@link NameReply}. */
  public record GetHostname() implements Message {
    public int type() {
      return HOSTNAME_GET;
    }

    public void encode(WireWriter w) {}
  }

  /**
   * A name answer: {@code status} {@link #EAI_OK} with the name, or an EAI code and an empty name.
   */
  public record NameReply(int status, String name) implements Message {
    public int type() {
      return NAME_REPLY;
    }

    public void encode(WireWriter w) {
      w.i32(status).string(name);
    }

    static NameReply decode(WireReader r) {
      return new NameReply(r.i32(), r.string());
    }
  }
}
