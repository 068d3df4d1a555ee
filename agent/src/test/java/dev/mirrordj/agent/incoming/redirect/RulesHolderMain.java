package dev.mirrordj.agent.incoming.redirect;

import java.nio.file.Path;

/**
 * Stand-in agent worker for the guard test, run as its own JVM: installs a redirect of PORT to
 * LISTENER_PORT in the namespace, prints "ready", and waits to be killed. Args: NETNS PORT
 * LISTENER_PORT.
 */
public final class RulesHolderMain {

  private RulesHolderMain() {}

  public static void main(String[] args) throws InterruptedException {
    CommandRunner runner = new CommandRunner(Path.of(args[0]));
    // gid 4242 for the OUTPUT chain's exclusion: nothing runs with it, so in-namespace clients are
    // redirected
    RedirectRules rules =
        new RedirectRules(
            runner,
            FirewallBackend.NFT,
            Integer.parseInt(args[2]),
            Integer.parseInt(args[2]),
            4242);
    rules.addPort(Integer.parseInt(args[1]));
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
