package dev.mirrordj.verticles.proxy;

import dev.mirrordj.config.regex.FancyRegex;
import dev.mirrordj.layerbridge.msg.SockAddr;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether an outgoing connection or datagram goes through the pod: unix paths by
 * unix_streams; IP by tcp/udp switches, ignore_localhost and the local/remote filter. Remote DNS
 * answers are remembered so name entries match the addresses they produced.
 */
public final class OutgoingPolicy {
  private final ProxySettings s;
  private final OutgoingFilter local, remote;
  private final List<FancyRegex> unixStreams;
  private final Map<InetAddress, Set<String>> namesByAddress = new ConcurrentHashMap<>();
  private final Map<String, Boolean> cache = new ConcurrentHashMap<>();

  public OutgoingPolicy(ProxySettings s) {
    this.s = s;
    if (!s.filterLocal().isEmpty() && !s.filterRemote().isEmpty()) {
      throw new IllegalArgumentException(
          "feature.network.outgoing.filter: 'local' and 'remote' are mutually exclusive; set only one");
    }
    local = new OutgoingFilter(s.filterLocal(), "feature.network.outgoing.filter.local");
    remote = new OutgoingFilter(s.filterRemote(), "feature.network.outgoing.filter.remote");
    unixStreams = DefaultPathLists.compile(s.unixStreams());
  }

  public boolean anyOutgoing() {
    return s.tcpOutgoing() || s.udpOutgoing() || !unixStreams.isEmpty();
  }

  public boolean unixStreamsConfigured() {
    return !unixStreams.isEmpty();
  }

  /** Records that {@code name} resolved (remotely) to these addresses. */
  public void remember(String name, List<InetAddress> addresses) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    for (InetAddress a : addresses) {
      namesByAddress.computeIfAbsent(a, k -> ConcurrentHashMap.newKeySet()).add(n);
    }
    cache.clear();
  }

  public boolean isRemote(boolean stream, SockAddr target) {
    String key = (stream ? "t" : "u") + target;
    Boolean cached = cache.get(key);
    if (cached == null) {
      cached = compute(stream, target);
      if (cache.size() > 50_000) cache.clear();
      cache.put(key, cached);
    }
    return cached;
  }

  private boolean compute(boolean stream, SockAddr target) {
    if (!target.isInet()) {
      return stream && DefaultPathLists.any(unixStreams, target.unixPath());
    }
    if (stream ? !s.tcpOutgoing() : !s.udpOutgoing()) return false;
    InetAddress ip = target.inetAddress();
    if (target.port() == 0) return false;
    if (s.ignoreLocalhost() && (ip.isLoopbackAddress() || ip.isAnyLocalAddress())) return false;
    OutgoingFilter.Proto proto = stream ? OutgoingFilter.Proto.TCP : OutgoingFilter.Proto.UDP;
    Set<String> names = namesByAddress.getOrDefault(ip, Set.of());
    if (!remote.isEmpty()) return remote.matches(proto, ip, target.port(), names);
    if (!local.isEmpty()) return !local.matches(proto, ip, target.port(), names);
    return true;
  }
}
