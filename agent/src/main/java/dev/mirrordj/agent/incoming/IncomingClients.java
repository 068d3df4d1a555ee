package dev.mirrordj.agent.incoming;

import dev.mirrordj.agent.incoming.mirror.MirrorClient;
import dev.mirrordj.agent.incoming.steal.StealTarget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connected clients of one worker, by client id: where the steal verticle opens a stolen
 * connection and where the mirror verticle sends copies. A subscribe on the bus names only the
 * client id (a value that may cross processes); this directory turns it into the session's object
 * in this JVM. One instance per worker, handed to the verticles that need it.
 */
public final class IncomingClients {
  private final Map<String, StealTarget> stealTargets = new ConcurrentHashMap<>();
  private final Map<String, MirrorClient> mirrorClients = new ConcurrentHashMap<>();

  /** Either may be null when the client cannot take that kind of traffic. */
  public void add(String clientId, StealTarget steal, MirrorClient mirror) {
    if (steal != null) {
      stealTargets.put(clientId, steal);
    }
    if (mirror != null) {
      mirrorClients.put(clientId, mirror);
    }
  }

  public void remove(String clientId) {
    stealTargets.remove(clientId);
    mirrorClients.remove(clientId);
  }

  /** Null when no such client is connected to this worker. */
  public StealTarget stealTarget(String clientId) {
    return stealTargets.get(clientId);
  }

  /** Null when no such client is connected to this worker. */
  public MirrorClient mirrorClient(String clientId) {
    return mirrorClients.get(clientId);
  }
}
