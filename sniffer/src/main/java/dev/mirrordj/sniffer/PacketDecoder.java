package dev.mirrordj.sniffer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Decodes raw captured frames into {@link TcpSegment}s, reading only the link, IP and TCP headers
 * (the pcap4j packet classes are too slow per packet). Supports Ethernet (with one VLAN tag), Linux
 * cooked capture (the {@code any} device) and raw IP; IPv4 and IPv6. Returns null for anything that
 * is not an unfragmented TCP segment.
 */
public final class PacketDecoder {

  /** Link-layer header types (pcap DLT values) this decoder understands. */
  public static final int DLT_EN10MB = 1;

  public static final int DLT_RAW = 12;
  public static final int DLT_LINUX_SLL = 113;
  public static final int DLT_RAW_LINUX = 101;

  private final int dlt;

  public PacketDecoder(int dlt) {
    if (dlt != DLT_EN10MB && dlt != DLT_RAW && dlt != DLT_LINUX_SLL && dlt != DLT_RAW_LINUX) {
      throw new IllegalArgumentException(
          "unsupported link type "
              + dlt
              + "; supported: Ethernet (1), raw IP (12, 101), Linux cooked (113)");
    }
    this.dlt = dlt;
  }

  public TcpSegment decode(byte[] frame) {
    int ipStart;
    int etherType;
    switch (dlt) {
      case DLT_EN10MB -> {
        if (frame.length < 14) {
          return null;
        }
        etherType = u16(frame, 12);
        ipStart = 14;
        if (etherType == 0x8100 && frame.length >= 18) {
          etherType = u16(frame, 16);
          ipStart = 18;
        }
      }
      case DLT_LINUX_SLL -> {
        if (frame.length < 16) {
          return null;
        }
        etherType = u16(frame, 14);
        ipStart = 16;
      }
      default -> {
        if (frame.length < 1) {
          return null;
        }
        etherType = (frame[0] >> 4 & 0xf) == 6 ? 0x86dd : 0x0800;
        ipStart = 0;
      }
    }
    try {
      if (etherType == 0x0800) {
        return decodeIpv4(frame, ipStart);
      }
      if (etherType == 0x86dd) {
        return decodeIpv6(frame, ipStart);
      }
    } catch (ArrayIndexOutOfBoundsException | UnknownHostException truncated) {
      return null; // a truncated or malformed frame is not a segment we can use
    }
    return null;
  }

  private static TcpSegment decodeIpv4(byte[] f, int p) throws UnknownHostException {
    int ihl = (f[p] & 0xf) * 4;
    int totalLength = u16(f, p + 2);
    int fragment = u16(f, p + 6);
    if ((fragment & 0x3fff) != 0 || f[p + 9] != 6 || ihl < 20) {
      return null; // fragments and non-TCP are not followed
    }
    InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(f, p + 12, p + 16));
    InetAddress dst = InetAddress.getByAddress(Arrays.copyOfRange(f, p + 16, p + 20));
    int end = Math.min(f.length, p + totalLength); // Ethernet padding is not payload
    return decodeTcp(f, p + ihl, end, src, dst);
  }

  private static TcpSegment decodeIpv6(byte[] f, int p) throws UnknownHostException {
    int payloadLength = u16(f, p + 4);
    int next = f[p + 6] & 0xff;
    InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(f, p + 8, p + 24));
    InetAddress dst = InetAddress.getByAddress(Arrays.copyOfRange(f, p + 24, p + 40));
    int end = Math.min(f.length, p + 40 + payloadLength);
    int h = p + 40;
    // skip hop-by-hop, routing and destination-options headers; fragments are not followed
    while (next == 0 || next == 43 || next == 60) {
      next = f[h] & 0xff;
      h += (f[h + 1] & 0xff) * 8 + 8;
    }
    return next == 6 ? decodeTcp(f, h, end, src, dst) : null;
  }

  private static TcpSegment decodeTcp(byte[] f, int t, int end, InetAddress src, InetAddress dst) {
    int srcPort = u16(f, t);
    int dstPort = u16(f, t + 2);
    long seq = ((long) u16(f, t + 4) << 16 | u16(f, t + 6)) & 0xffffffffL;
    int dataOffset = (f[t + 12] >> 4 & 0xf) * 4;
    int flags = f[t + 13] & 0x3f;
    int payloadStart = t + dataOffset;
    byte[] payload = payloadStart < end ? Arrays.copyOfRange(f, payloadStart, end) : new byte[0];
    return new TcpSegment(new FlowKey(src, srcPort, dst, dstPort), seq, flags, payload);
  }

  private static int u16(byte[] f, int i) {
    return (f[i] & 0xff) << 8 | (f[i + 1] & 0xff);
  }
}
