package dev.mirrordj.agent.incoming.mirror;

import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentCodecs;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.incoming.IncomingClients;
import dev.mirrordj.agent.incoming.IncomingSettings;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.sniffer.CaptureOptions;
import dev.mirrordj.sniffer.DefaultInterface;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mirror feature: owns the {@link MirrorHub} (one packet capture for the target, fanned out to
 * the subscribed clients) and changes it on the bus: {@link AgentAddresses#MIRROR_SUBSCRIBE},
 * {@link AgentAddresses#MIRROR_UNSUBSCRIBE} and {@link AgentAddresses#CLIENT_GONE}. After every
 * change it announces the captured ports on {@link AgentAddresses#MIRROR_CAPTURE}. Mirrored bytes
 * go from the capture thread straight to each client's {@link MirrorClient}, never over the bus.
 *
 * <p>Opening the capture blocks, so changes run as ordered blocking tasks of this verticle.
 */
public final class MirrorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MirrorVerticle.class);

  private final IncomingClients clients;
  private final Supplier<MirrorHub> createHub;
  // the clients this verticle mirrors to, kept so a client that is already gone can be released
  private final Map<String, MirrorClient> subscribed = new HashMap<>();
  private MirrorHub hub;

  /**
   * @param createHub builds the hub (no capture yet); called with the first subscription
   */
  public MirrorVerticle(IncomingClients clients, Supplier<MirrorHub> createHub) {
    this.clients = clients;
    this.createHub = createHub;
  }

  /** The production hub: captures in the target's namespace on the configured interface. */
  public static MirrorVerticle forTarget(
      IncomingClients clients, long targetPid, IncomingSettings settings) {
    Path netns = Path.of("/proc", String.valueOf(targetPid), "ns", "net");
    return new MirrorVerticle(
        clients,
        () -> {
          String configured = settings.networkInterface();
          // agent.network_interface, else the target's default-route interface, eth0, or every one
          DefaultInterface.Choice choice =
              configured == null
                  ? DefaultInterface.choose(targetPid)
                  : new DefaultInterface.Choice(configured, "agent.network_interface");
          if (configured != null && !configured.equals(DefaultInterface.EVERY_INTERFACE)) {
            // checked here, with the names the target has, rather than left to libpcap's terse
            // "no such device"; the subscription fails with this and run tells the user
            List<String> present = DefaultInterface.interfacesOf(targetPid);
            if (!present.contains(configured)) {
              throw new IllegalArgumentException(
                  "agent.network_interface '"
                      + configured
                      + "' is not an interface of the target's network namespace (it has: "
                      + String.join(", ", present)
                      + "; unset it to choose automatically)");
            }
          }
          log.info("capturing mirrored traffic on {} ({})", choice.name(), choice.reason());
          return new MirrorHub(CaptureOptions.defaults(choice.name(), netns));
        });
  }

  @Override
  public Future<?> start() {
    AgentCodecs.register(vertx);
    var bus = vertx.eventBus();
    return Future.all(
        bus.consumer(AgentAddresses.MIRROR_SUBSCRIBE, this::subscribe).completion(),
        bus.consumer(AgentAddresses.MIRROR_UNSUBSCRIBE, this::unsubscribe).completion(),
        bus.consumer(AgentAddresses.CLIENT_GONE, this::clientGone).completion());
  }

  private void subscribe(Message<AgentMessages.Subscribe> msg) {
    AgentMessages.Subscribe s = msg.body();
    MirrorClient client = clients.mirrorClient(s.clientId());
    if (client == null) {
      msg.fail(Errno.ENOENT, "no client " + s.clientId() + " is connected to this agent");
      return;
    }
    subscribed.put(s.clientId(), client);
    blocking(
            () -> {
              hub().subscribe(client, s.port());
              return hub.ports();
            })
        .onSuccess(
            ports -> {
              captureChanged(ports);
              msg.reply(null);
            })
        .onFailure(
            e -> {
              log.warn("[{}] mirroring port {} failed: {}", s.clientId(), s.port(), e.toString());
              msg.fail(
                  Errno.EPERM,
                  "cannot receive traffic of port " + s.port() + ": " + e.getMessage());
            });
  }

  private void unsubscribe(Message<AgentMessages.Unsubscribe> msg) {
    AgentMessages.Unsubscribe u = msg.body();
    MirrorClient client = subscribed.get(u.clientId());
    if (client == null || hub == null) {
      msg.reply(null);
      return;
    }
    blocking(
            () -> {
              hub.unsubscribe(client, u.port());
              return hub.ports();
            })
        .onSuccess(
            ports -> {
              captureChanged(ports);
              msg.reply(null);
            })
        .onFailure(e -> msg.fail(Errno.EIO, e.getMessage()));
  }

  private void clientGone(Message<AgentMessages.ClientGone> msg) {
    MirrorClient client = subscribed.remove(msg.body().clientId());
    if (client == null || hub == null) {
      return;
    }
    blocking(
            () -> {
              hub.clientGone(client);
              return hub.ports();
            })
        .onSuccess(this::captureChanged)
        .onFailure(e -> log.warn("releasing mirror of {} failed: {}", client.id(), e.toString()));
  }

  private void captureChanged(List<Integer> ports) {
    vertx
        .eventBus()
        .publish(
            AgentAddresses.MIRROR_CAPTURE,
            new AgentMessages.CaptureChanged(hub.interfaceName(), ports));
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, true);
  }

  private synchronized MirrorHub hub() {
    if (hub == null) {
      hub = createHub.get();
    }
    return hub;
  }

  /** Stops capturing; safe to call more than once. */
  public synchronized void closeHub() {
    if (hub != null) {
      hub.close();
      hub = null;
    }
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(
        () -> {
          closeHub();
          return null;
        },
        false);
  }
}
