package dev.mirrordj.agent.env;

import dev.mirrordj.agent.HostnameReader;
import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentCodecs;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.concurrent.ExecutorService;

/**
 * The environment feature: owns the readers of the target's environment and hostname and hands
 * sessions their {@link EnvironmentLookups} on {@link AgentAddresses#LOCAL_ENVIRONMENT_ATTACH}.
 * Stateless per client, like DNS.
 */
public final class EnvironmentVerticle extends VerticleBase {
  private final EnvService env;
  private final HostnameReader hostname;
  private final ExecutorService blockingPool;
  private EnvironmentLookups lookups;

  public EnvironmentVerticle(
      EnvService env, HostnameReader hostname, ExecutorService blockingPool) {
    this.env = env;
    this.hostname = hostname;
    this.blockingPool = blockingPool;
  }

  @Override
  public Future<?> start() {
    AgentCodecs.register(vertx);
    lookups = new EnvironmentLookups(env, hostname, blockingPool);
    return vertx
        .eventBus()
        .consumer(AgentAddresses.LOCAL_ENVIRONMENT_ATTACH, msg -> msg.reply(lookups))
        .completion();
  }
}
