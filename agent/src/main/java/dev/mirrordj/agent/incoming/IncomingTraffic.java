package dev.mirrordj.agent.incoming;

import dev.mirrordj.agent.incoming.mirror.MirrorHub;
import dev.mirrordj.agent.incoming.redirect.CommandRunner;
import dev.mirrordj.agent.incoming.redirect.FirewallBackend;
import dev.mirrordj.agent.incoming.redirect.RedirectRules;
import dev.mirrordj.agent.incoming.steal.StealEngine;
import dev.mirrordj.sniffer.CaptureOptions;
import dev.mirrordj.sniffer.DefaultInterface;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's incoming-traffic machinery for one target, shared by every session: the mirror
 * capture and the steal engine (listener + redirect rules), each created on first use. Blocking
 * methods (creation, subscribe) run on the agent's blocking pool, never on an event loop.
 *
 * <p>Settings come from system properties the launcher may set from {@code agent.*}: {@code
 * mirrordj.agent.nftables} (true/false, unset = detect), {@code mirrordj.agent.network_interface},
 * {@code mirrordj.agent.flush_connections} (true/false, unset = as the client asks).
 */
public final class IncomingTraffic implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IncomingTraffic.class);
  private static IncomingTraffic instance;

  private final long pid;
  private final Vertx nsVertx;
  private final Path netns;
  private MirrorHub mirror;
  private StealEngine steal;

  private IncomingTraffic(long pid, Vertx nsVertx) {
    this.pid = pid;
    this.nsVertx = nsVertx;
    this.netns = Path.of("/proc", String.valueOf(pid), "ns", "net");
  }

  /** The worker's instance for its target (one target per worker). */
  public static synchronized IncomingTraffic of(Long targetPid, Vertx nsVertx) {
    if (targetPid == null) {
      return null; // targetless: there is no pod traffic to receive
    }
    if (instance == null || instance.pid != targetPid) {
      instance = new IncomingTraffic(targetPid, nsVertx);
    }
    return instance;
  }

  /** Closes the worker's instance, if any (worker shutdown). */
  public static synchronized void closeCurrent() {
    if (instance != null) {
      instance.close();
      instance = null;
    }
  }

  public synchronized MirrorHub mirror() {
    if (mirror == null) {
      // agent.network_interface, else the target's default-route interface, eth0, or every one
      String configured = System.getProperty("mirrordj.agent.network_interface", "").trim();
      DefaultInterface.Choice choice =
          configured.isEmpty()
              ? DefaultInterface.choose(pid)
              : new DefaultInterface.Choice(configured, "agent.network_interface");
      String iface = choice.name();
      log.info("capturing mirrored traffic on {} ({})", iface, choice.reason());
      mirror = new MirrorHub(CaptureOptions.defaults(iface, netns));
    }
    return mirror;
  }

  public synchronized StealEngine steal() {
    if (steal == null) {
      CommandRunner runner = new CommandRunner(netns);
      String nft = System.getProperty("mirrordj.agent.nftables");
      FirewallBackend backend =
          FirewallBackend.choose(nft == null ? null : Boolean.valueOf(nft), runner);
      try {
        steal =
            StealEngine.start(
                    nsVertx,
                    Duration.ofMillis(500),
                    ports -> new RedirectRules(runner, backend, ports[0], ports[1], 0))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(
            "cannot start the steal listener in the target: " + e.getMessage(), e);
      }
      log.info(
          "steal engine ready ({}, listeners {}/{})",
          backend,
          steal.listenerPortV4(),
          steal.listenerPortV6());
    }
    return steal;
  }

  /**
   * {@code agent.flush_connections} for one steal subscription: the agent's own setting ({@code
   * mirrordj.agent.flush_connections}, from the agent pod's environment) wins; without one, the
   * client's request decides.
   */
  public static boolean flushConnections(boolean requestedByClient) {
    String agentSetting = System.getProperty("mirrordj.agent.flush_connections");
    return agentSetting == null ? requestedByClient : Boolean.parseBoolean(agentSetting);
  }

  /** Removes redirect rules and stops capturing (worker exit). */
  @Override
  public synchronized void close() {
    if (steal != null) {
      steal.close();
      steal = null;
    }
    if (mirror != null) {
      mirror.close();
      mirror = null;
    }
  }
}
