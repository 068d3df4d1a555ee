package dev.mirrordj.agent.ns;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxThreadFactory;
import io.vertx.core.transport.Transport;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x instance whose every thread (event loops, workers, internal blocking) joined the
 * target's network namespace before running anything. Sockets must be created from its contexts: a
 * socket's namespace is the one of the thread that calls socket() (java-stack.md §0.4, §2f).
 */
public final class NamespacedVertx {
  private NamespacedVertx() {}

  /** For targetless mode (pid absent) a plain Vert.x in the agent's own namespace is returned. */
  public static Vertx create(Long targetPid) {
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8);
    if (targetPid == null) {
      return Vertx.builder().with(options).withTransport(Transport.EPOLL).build();
    }
    long pid = targetPid;
    VertxThreadFactory factory =
        new VertxThreadFactory() {
          @Override
          public VertxThread newVertxThread(
              Runnable r, String name, boolean worker, long maxExecTime, TimeUnit unit) {
            return new VertxThread(
                () -> {
                  Namespaces.enter(pid, "net");
                  r.run();
                },
                "target-" + name,
                worker,
                maxExecTime,
                unit);
          }
        };
    return VertxBootstrap.create()
        .options(options)
        .transport(Transport.EPOLL.implementation())
        .threadFactory(factory)
        .init()
        .vertx();
  }
}
