package dev.mirrordj.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real agent process ({@code java -jar mirrord-fat.jar agent ...}) started the way a node would
 * start it, with its output captured. {@link #start} returns once stdout shows {@code agent ready -
 * version ...}. Closing kills the whole process tree (guard and worker).
 */
public final class AgentProcess implements AutoCloseable {
  /** The line an agent prints once it accepts connections. */
  public static final String READY_PREFIX = "agent ready - version ";

  /**
   * Agents still running when the JVM exits (a test forgot close(), or failed hard) are killed with
   * it.
   */
  private static final java.util.Set<AgentProcess> RUNNING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> List.copyOf(RUNNING).forEach(AgentProcess::close), "mdj-agent-cleanup"));
  }

  private final Process process;
  private final int port;
  private final StringBuffer output = new StringBuffer();
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private Thread stderrPump;

  private AgentProcess(Process process, int port) {
    this.process = process;
    this.port = port;
    RUNNING.add(this);
    pump(process.getInputStream(), "");
    stderrPump = pump(process.getErrorStream(), "[stderr] ");
  }

  /**
   * Starts {@code java -jar fatJar agent --port PORT extraArgs...} (e.g. {@code --target-pid N}) on
   * a free loopback-reachable port and waits for its ready line.
   */
  public static AgentProcess start(Path fatJar, Duration readyTimeout, String... extraArgs) {
    return start(fatJar, readyTimeout, java.util.Map.of(), extraArgs);
  }

  /** As {@link #start(Path, Duration, String...)}, with variables added to its environment. */
  public static AgentProcess start(
      Path fatJar,
      Duration readyTimeout,
      java.util.Map<String, String> environment,
      String... extraArgs) {
    int port = freePort();
    List<String> argv =
        new ArrayList<>(
            List.of(
                javaBinary(),
                "-jar",
                fatJar.toString(),
                "agent",
                "--port",
                Integer.toString(port)));
    argv.addAll(List.of(extraArgs));
    AgentProcess agent = launch(argv, port, environment);
    agent.awaitReady(readyTimeout);
    return agent;
  }

  /**
   * Starts the agent without waiting for readiness (for tests of startup failures and timeouts).
   */
  public static AgentProcess launch(List<String> argv, int port) {
    return launch(argv, port, java.util.Map.of());
  }

  /** As {@link #launch(List, int)}, with variables added to its environment. */
  public static AgentProcess launch(
      List<String> argv, int port, java.util.Map<String, String> environment) {
    try {
      ProcessBuilder pb = new ProcessBuilder(argv);
      pb.environment().putAll(environment);
      return new AgentProcess(pb.start(), port);
    } catch (IOException e) {
      throw new HarnessException("cannot start agent " + argv + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits for the ready line; fails with the agent's output if it exits first or the timeout
   * passes.
   */
  public String awaitReady(Duration timeout) {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new HarnessException(
          "agent not ready after " + timeout + "; output so far:\n" + output);
    } catch (ExecutionException e) {
      awaitStderr(); // stdout may close before the last stderr lines are read
      throw new HarnessException(
          "agent exited before it was ready (exit " + exitCodeOrNull() + "); output:\n" + output,
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HarnessException("interrupted waiting for the agent", e);
    }
  }

  /** The version the agent announced in its ready line. */
  public String version() {
    return ready.getNow(null);
  }

  public int port() {
    return port;
  }

  public Process process() {
    return process;
  }

  /** Everything the agent printed so far (stdout, and stderr lines prefixed with "[stderr] "). */
  public String output() {
    return output.toString();
  }

  /**
   * Waits for the agent to exit by itself and returns its exit code; throws if it is still running
   * at the deadline.
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new HarnessException("agent still running after " + timeout + "; output:\n" + output);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HarnessException("interrupted waiting for the agent to exit", e);
    }
  }

  private Integer exitCodeOrNull() {
    return process.isAlive() ? null : process.exitValue();
  }

  private void awaitStderr() {
    try {
      stderrPump.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Thread pump(InputStream in, String prefix) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  output.append(prefix).append(line).append('\n');
                  if (prefix.isEmpty() && line.startsWith(READY_PREFIX)) {
                    ready.complete(line.substring(READY_PREFIX.length()).strip());
                  }
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } finally {
                if (prefix.isEmpty()) {
                  ready.completeExceptionally(new HarnessException("agent stdout closed"));
                }
              }
            },
            "agent-output-" + port + (prefix.isEmpty() ? "" : "-err"));
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Kills the agent and every process it started (the guard's worker). */
  @Override
  public void close() {
    RUNNING.remove(this);
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A TCP port free on this host right now (the OS picks it). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new HarnessException("cannot find a free port: " + e.getMessage(), e);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
