package dev.mirrordj.agent.session;

import dev.mirrordj.agent.HostnameReader;
import dev.mirrordj.agent.Target;
import dev.mirrordj.agent.dns.DnsResolver;
import dev.mirrordj.agent.env.EnvService;
import dev.mirrordj.agent.fs.PathResolver;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutorService;

/**
 * What every session shares: the target, the namespaced Vert.x (sockets, DNS), the pool for
 * blocking file work, and the agent version for the handshake.
 */
public record AgentContext(
    Target target,
    Vertx nsVertx,
    ExecutorService blockingPool,
    String version,
    PathResolver paths,
    EnvService env,
    DnsResolver dns,
    HostnameReader hostname) {

  public static AgentContext of(
      Target target,
      Vertx nsVertx,
      ExecutorService pool,
      String version,
      java.util.List<String> runtimeEnv) {
    PathResolver paths = new PathResolver(target.root());
    return new AgentContext(
        target,
        nsVertx,
        pool,
        version,
        paths,
        new EnvService(target.environ(), runtimeEnv),
        new DnsResolver(paths),
        new HostnameReader(target.pid()));
  }
}
