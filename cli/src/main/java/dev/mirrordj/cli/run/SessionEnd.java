package dev.mirrordj.cli.run;

import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import io.vertx.core.eventbus.EventBus;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Stops the program when its session is ended from the other side ({@link
 * Addresses#LOCAL_SESSION_ENDED}: the operator closed it, or the operator node holding it died): a
 * program left running without its session would fail in ways nobody explains. SIGTERM to the
 * program and what it started, SIGKILL after {@link #GRACE_S} seconds.
 */
final class SessionEnd {
  /** `run`'s exit code when the session ended under the program. */
  static final int EXIT_CODE = 1;

  private static final long GRACE_S = 3;

  private final Process program;
  private final Set<Long> ours;
  private volatile boolean happened;

  private SessionEnd(Process program, Set<Long> ours) {
    this.program = program;
    this.ours = ours;
  }

  /**
   * @param ours processes of this JVM that are not the program's (a local agent): left alone
   */
  static SessionEnd watch(EventBus bus, Process program, Set<Long> ours, PrintStream err) {
    SessionEnd end = new SessionEnd(program, ours);
    bus.<Messages.SessionEnded>consumer(
        Addresses.LOCAL_SESSION_ENDED,
        m -> {
          end.happened = true;
          err.println(
              "mirrord: error: the session ended ("
                  + m.body().reason()
                  + "); stopping the program");
          err.flush();
          Thread stopper = new Thread(end::stop, "session-end");
          stopper.setDaemon(true);
          stopper.start();
        });
    return end;
  }

  boolean happened() {
    return happened;
  }

  private void stop() {
    program.descendants().filter(p -> !ours.contains(p.pid())).forEach(ProcessHandle::destroy);
    program.destroy();
    try {
      if (!program.waitFor(GRACE_S, TimeUnit.SECONDS)) {
        program.descendants().forEach(ProcessHandle::destroyForcibly);
        program.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Processes the program left behind (adopted by this subreaper) go too. */
  void stopLeftovers() {
    ProcessHandle.current()
        .children()
        .filter(p -> !ours.contains(p.pid()))
        .forEach(ProcessHandle::destroyForcibly);
  }
}
