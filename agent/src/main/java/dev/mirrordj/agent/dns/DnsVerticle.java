package dev.mirrordj.agent.dns;

import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentCodecs;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;

/**
 * The DNS feature: owns the resolver that reads the target's resolver configuration and hands
 * sessions their {@link DnsLookups} on {@link AgentAddresses#LOCAL_DNS_ATTACH}. Lookups hold no
 * per-client state, so every session gets the same one and a departing client leaves nothing
 * behind.
 */
public final class DnsVerticle extends VerticleBase {
  private final DnsResolver resolver;
  private final Vertx nsVertx;
  private DnsLookups lookups;

  public DnsVerticle(DnsResolver resolver, Vertx nsVertx) {
    this.resolver = resolver;
    this.nsVertx = nsVertx;
  }

  @Override
  public Future<?> start() {
    AgentCodecs.register(vertx);
    lookups = new DnsLookups(resolver, nsVertx);
    return vertx
        .eventBus()
        .consumer(AgentAddresses.LOCAL_DNS_ATTACH, msg -> msg.reply(lookups))
        .completion();
  }
}
