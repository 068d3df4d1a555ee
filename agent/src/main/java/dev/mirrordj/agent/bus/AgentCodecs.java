package dev.mirrordj.agent.bus;

import dev.mirrordj.agent.dns.DnsLookups;
import dev.mirrordj.agent.env.EnvironmentLookups;
import dev.mirrordj.agent.net.OutgoingService;
import dev.mirrordj.agent.session.FileSession;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/**
 * Registers the codecs of every agent message on a Vert.x instance: serializing ones for {@link
 * ClusterMessage}s, pass-by-reference ones for {@link LocalOnly} messages and the service handles
 * that answer an attach. Every verticle calls {@link #register} in its start, so each one can be
 * deployed alone (tests); registering twice is harmless.
 */
public final class AgentCodecs {
  private static final List<JsonRecordCodec<?>> CLUSTER =
      List.of(
          new JsonRecordCodec<>(AgentMessages.Subscribe.class, AgentMessages.Subscribe::fromJson),
          new JsonRecordCodec<>(
              AgentMessages.Unsubscribe.class, AgentMessages.Unsubscribe::fromJson),
          new JsonRecordCodec<>(AgentMessages.ClientGone.class, AgentMessages.ClientGone::fromJson),
          new JsonRecordCodec<>(
              AgentMessages.RulesChanged.class, AgentMessages.RulesChanged::fromJson),
          new JsonRecordCodec<>(
              AgentMessages.CaptureChanged.class, AgentMessages.CaptureChanged::fromJson));

  private static final List<LocalCodec<?>> LOCAL =
      List.of(
          new LocalCodec<>(AgentMessages.Attach.class),
          new LocalCodec<>(FileSession.class),
          new LocalCodec<>(OutgoingService.class),
          new LocalCodec<>(DnsLookups.class),
          new LocalCodec<>(EnvironmentLookups.class));

  private AgentCodecs() {}

  /** Registers every codec as the default for its class on {@code vertx}'s bus (idempotent). */
  public static synchronized void register(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    for (JsonRecordCodec<?> c : CLUSTER) {
      registerDefault(bus, c.type(), c);
    }
    for (LocalCodec<?> c : LOCAL) {
      registerDefault(bus, c.type(), c);
    }
  }

  /** The codecs of the messages that may cross processes (for a cluster-side registry). */
  public static List<JsonRecordCodec<?>> clusterCodecs() {
    return CLUSTER;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void registerDefault(
      EventBus bus, Class<?> type, io.vertx.core.eventbus.MessageCodec codec) {
    try {
      bus.registerDefaultCodec((Class) type, codec);
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this worker registered it first: same codec, nothing to do
    }
  }
}
