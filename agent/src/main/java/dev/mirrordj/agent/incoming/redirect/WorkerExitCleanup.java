package dev.mirrordj.agent.incoming.redirect;

import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard's hook: after the worker process ended, however it ended (SIGKILL included), remove
 * every redirect chain of ours from the target so the pod gets its traffic back. The guard holds no
 * other state; it only needs the target's network namespace.
 */
public final class WorkerExitCleanup {

  private static final Logger log = LoggerFactory.getLogger(WorkerExitCleanup.class);

  private WorkerExitCleanup() {}

  /** Removes our chains from the namespace; returns what was found (empty after a clean exit). */
  public static List<String> afterWorkerExit(Path targetNetns) {
    CommandRunner runner = new CommandRunner(targetNetns);
    List<String> found = LeftoverRules.find(runner);
    if (!found.isEmpty()) {
      log.warn("worker left redirect rules behind, removing: {}", String.join(", ", found));
      LeftoverRules.removeAll(runner);
    }
    return found;
  }
}
