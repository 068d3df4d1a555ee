package dev.mirrordj.cli.progress;

import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.Messages.ProgressEvent;
import dev.mirrordj.verticles.bus.Codecs;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the user sees while a session runs. Renders the {@link ProgressEvent}s sent to {@link
 * Addresses#LOCAL_PROGRESS} in one {@link ProgressMode} (std, simple, json, off), and prints on
 * stderr, whatever the mode, the lines the user must read: {@link Messages.UserNotice}s, a lost
 * agent ({@link Addresses#AGENT_STATE}) and a proxy that gave up waiting ({@link
 * Addresses#LOCAL_PROXY_IDLE}). Events arrive in the order they were sent and are rendered on this
 * verticle's event loop, one at a time.
 */
public final class ProgressVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ProgressVerticle.class);

  private final ProgressMode mode;
  private final String rootName;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, Progress> tasks = new HashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  /**
   * @param rootName the session's root task, started when this verticle starts
   * @param out machine-readable output (json mode)
   * @param err human output and notices
   */
  public ProgressVerticle(ProgressMode mode, String rootName, PrintStream out, PrintStream err) {
    this.mode = mode;
    this.rootName = rootName;
    this.out = out;
    this.err = err;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    tasks.put(ProgressEvent.ROOT, mode.start(rootName, out, err));
    EventBus bus = vertx.eventBus();
    consumers.add(bus.<ProgressEvent>consumer(Addresses.LOCAL_PROGRESS, this::render));
    consumers.add(
        bus.<Messages.UserNotice>consumer(
            Addresses.LOCAL_USER_NOTICE, m -> notice(m.body().line())));
    consumers.add(
        bus.<Messages.AgentState>consumer(
            Addresses.AGENT_STATE,
            m -> {
              if (m.body().state() == Messages.AgentState.State.LOST) {
                notice(
                    "mirrord: error: lost the connection to the agent ("
                        + m.body().detail()
                        + "); the program's remote file, network and DNS operations now fail with"
                        + " errors");
              }
            }));
    consumers.add(
        bus.<Messages.ProxyIdle>consumer(
            Addresses.LOCAL_PROXY_IDLE,
            // start_idle_timeout: said whatever the progress mode, since the session is now
            // without the pod
            m ->
                notice(
                    "mirrord: "
                        + m.body().reason()
                        + "; the proxy stopped, so programs that load the layer"
                        + " from now on cannot reach the pod (their remote operations fail with"
                        + " EIO)")));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  private void render(Message<ProgressEvent> m) {
    ProgressEvent event = m.body();
    if (event instanceof ProgressEvent.Flush) {
      m.reply(null);
    } else if (event instanceof ProgressEvent.TaskStarted s) {
      tasks.put(s.id(), task(s.parent()).subtask(s.name()));
    } else if (event instanceof ProgressEvent.TaskFinished f) {
      Progress p = task(f.id());
      if (f.success()) p.success(f.message());
      else p.failure(f.message());
    } else if (event instanceof ProgressEvent.Warning w) {
      task(w.task()).warning(w.message());
    } else if (event instanceof ProgressEvent.Info i) {
      task(i.task()).info(i.message());
    }
  }

  /** An unknown task id (finished already) reports under the root rather than losing the line. */
  private Progress task(String id) {
    Progress p = tasks.get(id);
    if (p == null) {
      log.debug("progress event for unknown task {}; shown under the root", id);
      return tasks.get(ProgressEvent.ROOT);
    }
    return p;
  }

  private void notice(String line) {
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
