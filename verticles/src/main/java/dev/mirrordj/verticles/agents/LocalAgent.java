package dev.mirrordj.verticles.agents;

import dev.mirrordj.protocol.auth.SharedSecret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * For a {@code pid/<pid>} target without connect_tcp: starts an agent next to the target with the
 * {@code agent} subcommand of this same program (the {@code self} command line) ({@code agent
 * --port P --target-pid N}) and waits for its {@code agent ready} line. Needs root: the agent
 * enters the target's namespaces.
 */
public final class LocalAgent implements AutoCloseable {
  public static final String READY_PREFIX = "agent ready";

  private final Process process;
  private final int port;
  private final SharedSecret secret;
  private final StringBuffer output = new StringBuffer();

  private LocalAgent(Process process, int port, SharedSecret secret) {
    this.process = process;
    this.port = port;
    this.secret = secret;
  }

  public static LocalAgent start(List<String> self, long targetPid, Duration readyTimeout)
      throws LocalAgentException {
    return start(self, targetPid, readyTimeout, List.of());
  }

  /**
   * As {@link #start(List, long, Duration)}, with more {@code agent} options (e.g. its idle TTL).
   */
  public static LocalAgent start(
      List<String> self, long targetPid, Duration readyTimeout, List<String> agentOptions)
      throws LocalAgentException {
    return start(self, targetPid, readyTimeout, agentOptions, java.util.Map.of());
  }

  /**
   * As {@link #start(List, long, Duration, List)}, with variables added to the agent's environment
   * (the {@code agent.*} values an agent Job gets in its environment).
   */
  public static LocalAgent start(
      List<String> self,
      long targetPid,
      Duration readyTimeout,
      List<String> agentOptions,
      java.util.Map<String, String> agentEnvironment)
      throws LocalAgentException {
    if (!dev.mirrordj.sys.Privileges.effectiveRoot()) {
      throw new LocalAgentException(
          "target pid/"
              + targetPid
              + " starts a local agent, which needs root (it enters the"
              + " target's namespaces); run as root, or point connect_tcp at a running agent");
    }
    int port = freePort();
    List<String> argv = new ArrayList<>(self);
    argv.addAll(
        List.of(
            "agent", "--port", Integer.toString(port), "--target-pid", Long.toString(targetPid)));
    argv.addAll(agentOptions);
    // a fresh secret per agent, in its environment (never its command line): only the holder of
    // this object can use the agent, not whoever else on the machine reaches its port
    SharedSecret secret = SharedSecret.generate();
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
      pb.environment().putAll(agentEnvironment);
      pb.environment().put(SharedSecret.AGENT_VARIABLE, secret.text());
      p = pb.start();
    } catch (IOException e) {
      throw new LocalAgentException("cannot start the local agent: " + e.getMessage(), e);
    }
    LocalAgent agent = new LocalAgent(p, port, secret);
    agent.awaitReady(readyTimeout);
    return agent;
  }

  private void awaitReady(Duration timeout) throws LocalAgentException {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  // kept until ready (for the failure message); read and dropped afterwards, so
                  // a long-lived agent neither blocks on a full pipe nor grows this buffer
                  if (!ready.isDone()) output.append(line).append('\n');
                  if (line.startsWith(READY_PREFIX)) ready.complete(null);
                }
              } catch (IOException ignored) {
                // the process went away; handled below
              }
              ready.completeExceptionally(new IOException("agent exited"));
            },
            "local-agent-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      close();
      throw new LocalAgentException(
          "the local agent was not ready within "
              + timeout.toMillis() / 1000.0
              + " s; its output:\n"
              + output);
    } catch (ExecutionException e) {
      waitQuietly();
      throw new LocalAgentException(
          "the local agent exited before it was ready (exit "
              + exitCode()
              + "); its output:\n"
              + output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new LocalAgentException("interrupted while waiting for the local agent");
    }
  }

  private void waitQuietly() {
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String exitCode() {
    return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
  }

  /** The agent process's id (its guard). */
  public long pid() {
    return process.pid();
  }

  /** Whether the agent process still runs. */
  public boolean alive() {
    return process.isAlive();
  }

  public int port() {
    return port;
  }

  /** What a client must prove it holds ({@code AgentClientOptions.secret}). */
  public SharedSecret secret() {
    return secret;
  }

  /** Where to connect: {@code 127.0.0.1:<port>}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public String output() {
    return output.toString();
  }

  private static int freePort() throws LocalAgentException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new LocalAgentException("no free port for the local agent: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
