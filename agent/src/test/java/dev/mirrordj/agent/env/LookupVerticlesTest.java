package dev.mirrordj.agent.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.mirrordj.agent.HostnameReader;
import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.bus.RecordingSink;
import dev.mirrordj.agent.dns.DnsLookups;
import dev.mirrordj.agent.dns.DnsResolver;
import dev.mirrordj.agent.dns.DnsVerticle;
import dev.mirrordj.agent.fs.PathResolver;
import dev.mirrordj.protocol.Lookups;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The environment and DNS verticles alone, each through its attach address: the lookups they hand
 * out answer from this machine's (the "target's") environment, hostname and /etc/hosts.
 */
@ExtendWith(VertxExtension.class)
class LookupVerticlesTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private static AgentMessages.Attach attach(String id) {
    return new AgentMessages.Attach(id, id, new RecordingSink());
  }

  @Test
  void environmentVerticleHandsOutTheTargetsEnvironmentAndHostname(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    vertx
        .deployVerticle(
            new EnvironmentVerticle(
                new EnvService(Path.of("/proc/self/environ")), new HostnameReader(null), pool))
        .await();
    EnvironmentLookups lookups =
        vertx
            .eventBus()
            .<EnvironmentLookups>request(
                AgentAddresses.LOCAL_ENVIRONMENT_ATTACH, attach("session-1"))
            .await()
            .body();
    var env =
        assertInstanceOf(
            Lookups.EnvReply.class,
            lookups.env(new Lookups.GetEnv(List.of("PATH"), List.of())).await());
    assertEquals(System.getenv("PATH"), env.vars().get("PATH"));
    var name = assertInstanceOf(Lookups.NameReply.class, lookups.hostname().await());
    assertEquals(
        java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), name.name());
    ctx.completeNow();
  }

  @Test
  void dnsVerticleHandsEveryClientTheSameLookups(Vertx vertx, VertxTestContext ctx) {
    vertx
        .deployVerticle(new DnsVerticle(new DnsResolver(new PathResolver(Path.of("/"))), vertx))
        .await();
    DnsLookups first =
        vertx
            .eventBus()
            .<DnsLookups>request(AgentAddresses.LOCAL_DNS_ATTACH, attach("session-1"))
            .await()
            .body();
    DnsLookups second =
        vertx
            .eventBus()
            .<DnsLookups>request(AgentAddresses.LOCAL_DNS_ATTACH, attach("session-2"))
            .await()
            .body();
    assertSame(first, second, "lookups hold no per-client state");
    var reply =
        assertInstanceOf(
            Lookups.AddrInfoReply.class,
            first.resolve(new Lookups.Resolve("localhost", 4, 1)).await());
    assertEquals(Lookups.EAI_OK, reply.status());
    assertFalse(reply.records().isEmpty(), "localhost resolves from /etc/hosts");
    assertArrayEquals(new byte[] {127, 0, 0, 1}, reply.records().get(0).address());
    ctx.completeNow();
  }
}
