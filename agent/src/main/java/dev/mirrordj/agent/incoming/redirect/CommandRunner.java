package dev.mirrordj.agent.incoming.redirect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs firewall tools inside the target's network namespace ({@code nsenter --net=PATH}), since
 * iptables acts on the namespace of the process that runs it. Blocking: call off the event loop.
 */
public final class CommandRunner {

  private final Path netns;

  /**
   * @param netns the target's network namespace file; null runs in the agent's own namespace
   */
  public CommandRunner(Path netns) {
    this.netns = netns;
  }

  /** What a command printed and how it exited. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  public Result run(String... command) {
    List<String> full = new ArrayList<>();
    if (netns != null) {
      full.add("nsenter");
      full.add("--net=" + netns);
    }
    full.addAll(Arrays.asList(command));
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", full) + " timed out");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, String.join(" ", full) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /** Runs and fails loudly. */
  public String runChecked(String... command) {
    Result r = run(command);
    if (!r.ok()) {
      throw new RedirectException(
          "`"
              + String.join(" ", command)
              + "` failed in "
              + (netns == null ? "the agent namespace" : netns)
              + " (exit "
              + r.exitCode()
              + "): "
              + r.output().strip());
    }
    return r.output();
  }
}
