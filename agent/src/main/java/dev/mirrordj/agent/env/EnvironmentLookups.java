package dev.mirrordj.agent.env;

import dev.mirrordj.agent.HostnameReader;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.Message;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the client's environment and hostname requests from the target's {@code /proc} entries.
 * Both read files, so they run on the blocking pool, never on an event loop.
 */
public final class EnvironmentLookups {
  private static final Logger log = LoggerFactory.getLogger(EnvironmentLookups.class);

  private final EnvService env;
  private final HostnameReader hostname;
  private final ExecutorService blocking;

  public EnvironmentLookups(EnvService env, HostnameReader hostname, ExecutorService blocking) {
    this.env = env;
    this.hostname = hostname;
    this.blocking = blocking;
  }

  public Future<Message> env(Lookups.GetEnv e) {
    return blocking(() -> new Lookups.EnvReply(env.read(e.include(), e.exclude())));
  }

  public Future<Message> hostname() {
    return blocking(() -> new Lookups.NameReply(Lookups.EAI_OK, hostname.read()));
  }

  private Future<Message> blocking(Callable<Message> work) {
    Promise<Message> reply = Promise.promise();
    blocking.execute(
        () -> {
          try {
            reply.complete(work.call());
          } catch (Exception ex) {
            log.warn("environment request failed: {}", ex.toString());
            reply.complete(new Control.ErrorReply(Errno.EIO, ex.toString()));
          }
        });
    return reply.future();
  }
}
