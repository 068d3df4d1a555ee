package dev.mirrordj.agent.incoming.net;

import dev.mirrordj.sniffer.NetNamespace;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxThreadFactory;
import io.vertx.core.transport.Transport;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x instance whose every thread (event loops and workers) lives in the target's network
 * namespace, on the epoll transport (needed to read {@code SO_ORIGINAL_DST}). Sockets must be
 * created from inside this instance's contexts (reference java-stack.md §0.4, §2f).
 */
public final class NamespacedVertx {

  private NamespacedVertx() {}

  /**
   * @param netns the namespace file; null keeps the threads in the caller's namespace
   */
  public static Vertx create(Path netns, int eventLoops) {
    VertxThreadFactory factory =
        new VertxThreadFactory() {
          @Override
          public VertxThread newVertxThread(
              Runnable r, String name, boolean worker, long maxExecTime, TimeUnit unit) {
            return new VertxThread(
                () -> {
                  NetNamespace.enter(netns);
                  r.run();
                },
                "target-" + name,
                worker,
                maxExecTime,
                unit);
          }
        };
    Transport epoll = Transport.EPOLL;
    if (!epoll.available()) {
      throw new IllegalStateException(
          "the epoll transport is required for SO_ORIGINAL_DST: " + epoll.unavailabilityCause());
    }
    return VertxBootstrap.create()
        .options(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(2))
        .transport(epoll.implementation())
        .threadFactory(factory)
        .init()
        .vertx();
  }
}
