package dev.mirrordj.agent.incoming.net;

import io.netty.channel.Channel;
import io.netty.channel.unix.RawUnixChannelOption;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Reads where a redirected connection was going before iptables REDIRECT changed it: {@code
 * SO_ORIGINAL_DST} (SOL_IP) for IPv4, {@code IP6T_SO_ORIGINAL_DST} (SOL_IPV6) for IPv6, through
 * Netty epoll's raw socket option (no JNA).
 */
public final class OriginalDestination {

  private static final int SOL_IP = 0;
  private static final int SOL_IPV6 = 41;
  private static final int SO_ORIGINAL_DST = 80;

  private OriginalDestination() {}

  public static InetSocketAddress of(NetSocket socket) {
    Channel ch = ((NetSocketInternal) socket).channelHandlerContext().channel();
    InetSocketAddress local = (InetSocketAddress) ch.localAddress();
    boolean v6 = local.getAddress().getAddress().length == 16;
    try {
      ByteBuffer b =
          ch.config()
              .getOption(
                  new RawUnixChannelOption(
                      "SO_ORIGINAL_DST", v6 ? SOL_IPV6 : SOL_IP, SO_ORIGINAL_DST, v6 ? 28 : 16));
      int port = (b.get(2) & 0xff) << 8 | (b.get(3) & 0xff);
      byte[] ip = new byte[v6 ? 16 : 4];
      b.position(v6 ? 8 : 4);
      b.get(ip);
      return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    } catch (RuntimeException | UnknownHostException e) {
      throw new IllegalStateException(
          "connection "
              + ch.remoteAddress()
              + " -> "
              + local
              + " has no original destination (not redirected?): "
              + e.getMessage(),
          e);
    }
  }
}
