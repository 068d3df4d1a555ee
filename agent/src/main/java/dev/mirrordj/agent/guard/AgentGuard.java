package dev.mirrordj.agent.guard;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard parent: starts the agent worker as a child process, relays its stdout (the ready line),
 * forwards SIGTERM to it, reports how it ended, and runs the registered cleanups (redirect rules,
 * later) whatever way it died: normal exit, crash, or being killed. The worker sees the guard's
 * death as EOF on its stdin and stops.
 */
public final class AgentGuard {
  private static final List<Runnable> CLEANUPS = new CopyOnWriteArrayList<>();

  private final List<String> workerCommand;
  private final PrintStream out;
  private final AtomicBoolean cleaned = new AtomicBoolean();

  private final java.util.Map<String, String> workerEnv;

  public AgentGuard(List<String> workerCommand, PrintStream out) {
    this(workerCommand, out, java.util.Map.of());
  }

  /**
   * @param workerEnv extra environment variables for the worker process
   */
  public AgentGuard(
      List<String> workerCommand, PrintStream out, java.util.Map<String, String> workerEnv) {
    this.workerCommand = List.copyOf(workerCommand);
    this.out = out;
    this.workerEnv = java.util.Map.copyOf(workerEnv);
  }

  /** Registers work to do after the worker is gone (e.g. removing iptables rules it installed). */
  public static void registerCleanup(Runnable cleanup) {
    CLEANUPS.add(cleanup);
  }

  /** Runs the worker to its end; returns its exit code. */
  public int run() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(workerCommand)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().putAll(workerEnv);
    Process worker = pb.start();
    // logging starts only now (its set-up is a good part of a JVM's start): the worker is already
    // booting
    Logger log = log();
    log.debug("agent guard started worker pid {}", worker.pid());
    Thread hook = new Thread(() -> onSignal(worker), "agent-guard-signal");
    Runtime.getRuntime().addShutdownHook(hook);
    Thread relay = new Thread(() -> relay(worker), "agent-guard-relay");
    relay.start();
    int code = worker.waitFor();
    relay.join(TimeUnit.SECONDS.toMillis(5));
    log.info("agent worker (pid {}) exited with code {}", worker.pid(), code);
    cleanup();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the signal hook is already running and reports on its own
    }
    return code;
  }

  private static Logger log() {
    return LoggerFactory.getLogger(AgentGuard.class);
  }

  private void relay(Process worker) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.println(line);
        out.flush();
      }
    } catch (Exception e) {
      log().debug("stdout relay ended: {}", e.toString());
    }
  }

  private void onSignal(Process worker) {
    if (worker.isAlive()) {
      log().info("agent guard received a termination signal; stopping worker pid {}", worker.pid());
      worker.destroy();
      try {
        if (!worker.waitFor(10, TimeUnit.SECONDS)) {
          log().warn("worker pid {} did not stop within 10 s; killing it", worker.pid());
          worker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      log()
          .info(
              "agent worker (pid {}) ended with code {}",
              worker.pid(),
              worker.isAlive() ? "?" : worker.exitValue());
    }
    cleanup();
  }

  private void cleanup() {
    if (!cleaned.compareAndSet(false, true)) {
      return;
    }
    for (Runnable r : CLEANUPS) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log().error("agent cleanup step failed: {}", e.toString(), e);
      }
    }
  }
}
