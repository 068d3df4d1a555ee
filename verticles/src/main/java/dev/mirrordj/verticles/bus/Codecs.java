package dev.mirrordj.verticles.bus;

import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.config.ResolvedConfig;
import dev.mirrordj.verticles.config.ResolvedConfigCodec;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.util.Map;

/**
 * Registers the default codec of every message in {@link Messages} on a Vert.x instance: JSON for
 * the cluster-ready ones, {@link LocalOnlyCodec} for those marked {@link Messages.LocalOnly}. Every
 * local verticle calls {@link #register} in its start, so each can be deployed alone (tests) or
 * together; the second call on one instance does nothing.
 */
public final class Codecs {
  private static final Map<Vertx, Boolean> DONE =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private Codecs() {}

  /** Idempotent per Vert.x instance. */
  public static void register(Vertx vertx) {
    synchronized (DONE) {
      if (DONE.put(vertx, Boolean.TRUE) != null) return;
      EventBus bus = vertx.eventBus();
      add(bus, ResolvedConfig.class, new ResolvedConfigCodec());
      json(bus, Messages.AgentState.class);
      json(bus, Messages.PodEnvironment.class);
      json(bus, Messages.IncomingSubscribe.class);
      json(bus, Messages.IncomingUnsubscribe.class);
      local(bus, Messages.AgentHandle.class);
      local(bus, Messages.Listen.class);
      local(bus, Messages.BindBusy.class);
      local(bus, Messages.ListenerClosed.class);
      local(bus, Messages.ProcessGone.class);
      local(bus, Messages.ListenPorts.class);
      local(bus, Messages.ProxyIdle.class);
      local(bus, Messages.UserNotice.class);
      local(bus, Messages.SessionEnded.class);
      local(bus, Messages.ProgressEvent.TaskStarted.class);
      local(bus, Messages.ProgressEvent.TaskFinished.class);
      local(bus, Messages.ProgressEvent.Warning.class);
      local(bus, Messages.ProgressEvent.Info.class);
      local(bus, Messages.ProgressEvent.Flush.class);
    }
  }

  private static <T extends Record> void json(EventBus bus, Class<T> type) {
    if (type.isAnnotationPresent(Messages.LocalOnly.class)) {
      throw new IllegalStateException(type.getName() + " is marked local-only");
    }
    add(bus, type, new JsonRecordCodec<>(type));
  }

  private static <T> void local(EventBus bus, Class<T> type) {
    if (!type.isAnnotationPresent(Messages.LocalOnly.class)) {
      throw new IllegalStateException(type.getName() + " is not marked local-only");
    }
    add(bus, type, new LocalOnlyCodec<>(type));
  }

  private static <T> void add(EventBus bus, Class<T> type, MessageCodec<T, ?> codec) {
    bus.registerDefaultCodec(type, codec);
  }
}
