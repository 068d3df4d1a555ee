package dev.mirrordj.cli.progress;

import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages.ProgressEvent;
import io.vertx.core.eventbus.EventBus;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Progress} every part of a session reports to: each call becomes a {@link
 * ProgressEvent} sent to {@link Addresses#LOCAL_PROGRESS}, where the {@link ProgressVerticle}
 * renders it in the user's mode. Safe from any thread.
 */
public final class BusProgress implements Progress {
  private static final AtomicLong IDS = new AtomicLong();

  private final EventBus bus;
  private final String id;
  private final String name;

  private BusProgress(EventBus bus, String id, String name) {
    this.bus = bus;
    this.id = id;
    this.name = name;
  }

  /** The session's root task (the one the progress verticle starts). */
  public static Progress root(EventBus bus) {
    return new BusProgress(bus, ProgressEvent.ROOT, ProgressEvent.ROOT);
  }

  @Override
  public Progress subtask(String sub) {
    String child = "task-" + IDS.incrementAndGet();
    bus.send(Addresses.LOCAL_PROGRESS, new ProgressEvent.TaskStarted(child, id, sub));
    return new BusProgress(bus, child, sub);
  }

  @Override
  public void success(String message) {
    bus.send(Addresses.LOCAL_PROGRESS, new ProgressEvent.TaskFinished(id, true, message));
  }

  @Override
  public void failure(String message) {
    bus.send(Addresses.LOCAL_PROGRESS, new ProgressEvent.TaskFinished(id, false, message));
  }

  @Override
  public void warning(String message) {
    bus.send(Addresses.LOCAL_PROGRESS, new ProgressEvent.Warning(id, message));
  }

  @Override
  public void info(String message) {
    bus.send(Addresses.LOCAL_PROGRESS, new ProgressEvent.Info(id, message));
  }

  @Override
  public String name() {
    return name;
  }
}
