package dev.mirrordj.agent.incoming.redirect;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and removes chains with our {@link RedirectRules#PREFIX} in the target's {@code nat} table,
 * for both backends and both families. Used by the guard after the worker dies, by a new agent to
 * refuse starting on top of a crashed one's rules, and by its clean-first flag.
 */
public final class LeftoverRules {

  private static final Pattern CHAIN =
      Pattern.compile("^:(" + RedirectRules.PREFIX + "\\S*)", Pattern.MULTILINE);
  private static final Pattern JUMP =
      Pattern.compile(
          "^-A (\\S+) (.*-j (" + RedirectRules.PREFIX + "\\S*))\\s*$", Pattern.MULTILINE);

  private LeftoverRules() {}

  /** Chains of ours present in the namespace, as "backend/family: CHAIN" descriptions. */
  /**
   * Our port REDIRECT rules currently installed (both backends, both families), as iptables-save
   * lines; the inert {@code --dport 0} rule that lives as long as the chains is not counted.
   */
  public static List<String> redirects(CommandRunner runner) {
    List<String> found = new ArrayList<>();
    for (FirewallBackend backend : FirewallBackend.values()) {
      for (boolean v6 : new boolean[] {false, true}) {
        CommandRunner.Result r = runner.run(backend.saveCommand(v6), "-t", "nat");
        if (r.ok()) {
          r.output()
              .lines()
              .filter(
                  l ->
                      l.startsWith("-A " + RedirectRules.PREFIX)
                          && l.contains("REDIRECT")
                          && !l.contains("--dport 0 "))
              .forEach(found::add);
        }
      }
    }
    return found;
  }

  public static List<String> find(CommandRunner runner) {
    List<String> found = new ArrayList<>();
    for (FirewallBackend backend : FirewallBackend.values()) {
      for (boolean v6 : new boolean[] {false, true}) {
        CommandRunner.Result r = runner.run(backend.saveCommand(v6), "-t", "nat");
        if (!r.ok()) {
          continue; // this backend is not usable here, so it cannot hold our rules
        }
        Matcher m = CHAIN.matcher(r.output());
        while (m.find()) {
          found.add(backend.command(v6) + " nat " + m.group(1));
        }
      }
    }
    return found;
  }

  /** Removes our jumps and chains for one backend, both families. Idempotent. */
  public static void remove(CommandRunner runner, FirewallBackend backend) {
    for (boolean v6 : new boolean[] {false, true}) {
      CommandRunner.Result r = runner.run(backend.saveCommand(v6), "-t", "nat");
      if (!r.ok()) {
        continue;
      }
      String cmd = backend.command(v6);
      Matcher jumps = JUMP.matcher(r.output());
      while (jumps.find()) {
        if (!jumps.group(1).startsWith(RedirectRules.PREFIX)) {
          List<String> del = new ArrayList<>(List.of(cmd, "-t", "nat", "-D", jumps.group(1)));
          del.addAll(List.of(jumps.group(2).trim().split("\\s+")));
          runner.run(del.toArray(String[]::new));
        }
      }
      Matcher chains = CHAIN.matcher(r.output());
      List<String> names = new ArrayList<>();
      while (chains.find()) {
        names.add(chains.group(1));
      }
      for (String chain : names) {
        runner.run(cmd, "-t", "nat", "-F", chain);
      }
      for (String chain : names) {
        runner.run(cmd, "-t", "nat", "-X", chain);
      }
    }
  }

  /** Removes our chains from both backends. */
  public static void removeAll(CommandRunner runner) {
    for (FirewallBackend backend : FirewallBackend.values()) {
      remove(runner, backend);
    }
  }

  /**
   * Refuses to start when a previous agent left rules behind, unless {@code cleanFirst}.
   *
   * @throws LeftoverRulesException naming the chains, when found and not cleaning
   */
  public static void checkOnStart(CommandRunner runner, boolean cleanFirst) {
    List<String> found = find(runner);
    if (found.isEmpty()) {
      return;
    }
    if (!cleanFirst) {
      throw new LeftoverRulesException(found);
    }
    removeAll(runner);
    List<String> still = find(runner);
    if (!still.isEmpty()) {
      throw new RedirectException(
          "could not remove leftover redirect chains: " + String.join(", ", still));
    }
  }

  /** A previous agent's redirect chains are still installed. */
  public static final class LeftoverRulesException extends RedirectException {
    private static final long serialVersionUID = 1L;
    private final List<String> chains;

    LeftoverRulesException(List<String> chains) {
      super(
          "redirect rules of a previous mirrordj agent are still installed in the target: "
              + String.join(", ", chains)
              + ". They may be stealing the pod's traffic. Start the agent with "
              + "--clean-leftover-rules to remove them first, or remove the chains by hand.");
      this.chains = List.copyOf(chains);
    }

    public List<String> chains() {
      return chains;
    }
  }
}
