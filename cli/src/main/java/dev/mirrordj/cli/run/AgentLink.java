package dev.mirrordj.cli.run;

import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;
import java.util.Map;

/** An open connection to an agent, shared by the whole session. */
public interface AgentLink extends AutoCloseable {

  /** The pod operations the proxy uses. */
  RemoteTarget target();

  /** The target process's environment (the agent already drops its default exclusions). */
  Future<Map<String, String>> environment();

  /**
   * The agent protocol client, when this link speaks it (incoming traffic subscribes through it).
   */
  default java.util.Optional<dev.mirrordj.protocol.client.AgentClient> agentClient() {
    return java.util.Optional.empty();
  }

  /**
   * Whether losing this link ends the session (an operator session: the operator closed it, or its
   * node died), so `run` stops the program rather than letting it go on without the pod.
   */
  default boolean sessionEndsWithLink() {
    return false;
  }

  /** Human-readable description for progress messages ("agent at 127.0.0.1:7777"). */
  String describe();

  @Override
  void close();
}
