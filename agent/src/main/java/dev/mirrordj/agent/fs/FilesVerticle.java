package dev.mirrordj.agent.fs;

import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentCodecs;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.session.FileSession;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files feature: owns one {@link FileSession} per client (its handles and its request queue). A
 * session attaches on {@link AgentAddresses#LOCAL_FILES_ATTACH} and then calls its FileSession
 * directly per request; on {@link AgentAddresses#CLIENT_GONE} the client's handles are closed.
 */
public final class FilesVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FilesVerticle.class);

  private final PathResolver paths;
  private final ExecutorService blockingPool;
  private final Map<String, FileSession> byClient = new HashMap<>();

  public FilesVerticle(PathResolver paths, ExecutorService blockingPool) {
    this.paths = paths;
    this.blockingPool = blockingPool;
  }

  @Override
  public Future<?> start() {
    AgentCodecs.register(vertx);
    var bus = vertx.eventBus();
    var attach =
        bus.<AgentMessages.Attach>consumer(
            AgentAddresses.LOCAL_FILES_ATTACH,
            msg -> {
              FileSession files = new FileSession(new FileService(paths), blockingPool);
              FileSession previous = byClient.put(msg.body().clientId(), files);
              if (previous != null) {
                previous.close();
              }
              msg.reply(files);
            });
    var gone =
        bus.<AgentMessages.ClientGone>consumer(
            AgentAddresses.CLIENT_GONE,
            msg -> {
              FileSession files = byClient.remove(msg.body().clientId());
              if (files != null) {
                files.close();
                log.debug("[{}] open files closed", msg.body().clientId());
              }
            });
    return Future.all(attach.completion(), gone.completion());
  }

  /** Clients whose files are open (for tests and diagnostics). */
  public int clients() {
    return byClient.size();
  }

  @Override
  public Future<?> stop() {
    List.copyOf(byClient.values()).forEach(FileSession::close);
    byClient.clear();
    return Future.succeededFuture();
  }
}
