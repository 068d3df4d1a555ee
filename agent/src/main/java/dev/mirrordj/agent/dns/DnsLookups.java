package dev.mirrordj.agent.dns;

import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the client's name lookups ({@code getaddrinfo}, reverse) from the target's DNS
 * configuration. The queries run on the namespaced Vert.x's workers: a DNS socket must be created
 * in the target's network namespace, and those threads live there.
 */
public final class DnsLookups {
  private static final Logger log = LoggerFactory.getLogger(DnsLookups.class);

  private final DnsResolver dns;
  private final Vertx nsVertx;

  public DnsLookups(DnsResolver dns, Vertx nsVertx) {
    this.dns = dns;
    this.nsVertx = nsVertx;
  }

  public Future<Message> resolve(Lookups.Resolve r) {
    return inTargetNet(() -> addrInfo(r));
  }

  public Future<Message> reverse(Lookups.Reverse r) {
    return inTargetNet(
        () -> {
          DnsResolver.Result res = dns.reverse(InetAddress.getByAddress(r.address()));
          return new Lookups.NameReply(res.status(), res.canonicalName());
        });
  }

  private Message addrInfo(Lookups.Resolve r) throws Exception {
    DnsResolver.Result res = dns.resolve(r.name(), r.family());
    var records = new ArrayList<Lookups.AddrRecord>();
    for (var a : res.addresses()) {
      if (r.socktype() == 0 || r.socktype() == 1) {
        records.add(new Lookups.AddrRecord(a.getAddress(), 1, 6));
      }
      if (r.socktype() == 0 || r.socktype() == 2) {
        records.add(new Lookups.AddrRecord(a.getAddress(), 2, 17));
      }
    }
    return new Lookups.AddrInfoReply(res.status(), res.canonicalName(), records);
  }

  private Future<Message> inTargetNet(Callable<Message> work) {
    return nsVertx.executeBlocking(
        () -> {
          try {
            return work.call();
          } catch (Exception e) {
            log.warn("name lookup failed: {}", e.toString());
            return new Control.ErrorReply(Errno.EIO, e.toString());
          }
        },
        false);
  }
}
