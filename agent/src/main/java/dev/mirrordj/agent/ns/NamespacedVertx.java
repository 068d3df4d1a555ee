package dev.mirrordj.agent.ns;

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
 * A Vert.x instance whose every thread (event loops, workers, internal blocking) joined the
 * target's network namespace before running anything. Sockets must be created from its contexts:
 * the kernel puts a socket in the namespace of the thread that calls socket(), and a thread's
 * namespace never changes afterwards. The transport is epoll, because reading a stolen connection's
 * original destination ({@code SO_ORIGINAL_DST}) needs the native socket.
 */
public final class NamespacedVertx {
  private static final int EVENT_LOOPS = 2;
  private static final int WORKERS = 8;

  private NamespacedVertx() {}

  /**
   * The agent's instance for its target; for targetless mode (pid absent) a plain Vert.x in the
   * agent's own namespace.
   */
  public static Vertx forTarget(Long targetPid) {
    return create(
        targetPid == null ? null : Path.of("/proc", String.valueOf(targetPid), "ns", "net"),
        EVENT_LOOPS,
        WORKERS);
  }

  /** An instance in the namespace file {@code netns} (null: the caller's namespace). */
  public static Vertx create(Path netns, int eventLoops) {
    return create(netns, eventLoops, 2);
  }

  /** An instance in the namespace file {@code netns} (null: the caller's namespace). */
  public static Vertx create(Path netns, int eventLoops, int workers) {
    Transport epoll = Transport.EPOLL;
    if (!epoll.available()) {
      throw new IllegalStateException(
          "the epoll transport is required for SO_ORIGINAL_DST: " + epoll.unavailabilityCause());
    }
    VertxOptions options =
        new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(workers);
    if (netns == null) {
      return Vertx.builder().with(options).withTransport(epoll).build();
    }
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
    return VertxBootstrap.create()
        .options(options)
        .transport(epoll.implementation())
        .threadFactory(factory)
        .init()
        .vertx();
  }
}
