package dev.mirrordj.sniffer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Identifies one direction of a TCP connection: the client (source) and the server (destination).
 * The sniffer only follows client-to-server streams, so a key always names the client first.
 */
public record FlowKey(
    InetAddress source, int sourcePort, InetAddress destination, int destinationPort) {

  public FlowKey {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
  }

  public InetSocketAddress sourceAddress() {
    return new InetSocketAddress(source, sourcePort);
  }

  public InetSocketAddress destinationAddress() {
    return new InetSocketAddress(destination, destinationPort);
  }

  @Override
  public String toString() {
    return source.getHostAddress()
        + ":"
        + sourcePort
        + "->"
        + destination.getHostAddress()
        + ":"
        + destinationPort;
  }
}
