package dev.mirrordj.verticles.cluster.copy;

import java.util.Set;

/** A running watch of a deployment's pods. Close it when the session ends. */
public interface PodWatch extends AutoCloseable {
  /** The pods currently reported ready (a snapshot). */
  Set<String> readyPods();

  /** Stops the watch; no listener call follows. Idempotent. */
  @Override
  void close();
}
