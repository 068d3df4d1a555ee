package dev.mirrordj.agent.bench;

import dev.mirrordj.agent.bus.LocalCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * Measures what a hop over the local event bus costs against a direct call, to decide which agent
 * traffic may use the bus (control) and which must not (per-request work, connection bytes). Not a
 * test: run it by hand, e.g.
 *
 * <pre>
 * mvn -q -pl agent -am test-compile \
 *     org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile=/tmp/cp
 * java -cp agent/target/classes:agent/target/test-classes:$(cat /tmp/cp) \
 *     dev.mirrordj.agent.bench.BusVsDirectBenchmark
 * </pre>
 *
 * <p>Each case runs N sequential round trips started on one event loop (the session's situation:
 * one request at a time per frame): a direct call returning a completed future, a bus request to a
 * consumer on the same context, a bus request to a consumer in another verticle (another event
 * loop), and the same with a 64 KiB payload; then the cost of serializing a 64 KiB payload the way
 * a clustered bus would (JSON with base64), which a copy through the bus would add per chunk.
 */
public final class BusVsDirectBenchmark {
  private static final int N = 200_000;
  private static final int ROUNDS = 5;

  record Request(int fd, long offset, int length) {}

  record Reply(Buffer data) {}

  /** The work both paths do: build a reply of the requested length (no copy of the bytes). */
  static final class Service {
    private final Buffer block;

    Service(int size) {
      block = Buffer.buffer(new byte[size]);
    }

    Reply read(Request r) {
      return new Reply(block.slice(0, Math.min(r.length(), block.length())));
    }
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    vertx.eventBus().registerDefaultCodec(Request.class, new LocalCodec<>(Request.class));
    vertx.eventBus().registerDefaultCodec(Reply.class, new LocalCodec<>(Reply.class));
    Service service = new Service(64 * 1024);
    // a consumer in its own verticle, as a feature verticle would be
    vertx
        .deployVerticle(
            new VerticleBase() {
              @Override
              public Future<?> start() {
                return vertx
                    .eventBus()
                    .<Request>consumer("bench.other", m -> m.reply(service.read(m.body())))
                    .completion();
              }
            })
        .await();
    for (int round = 1; round <= ROUNDS; round++) {
      boolean last = round == ROUNDS;
      report(last, "direct call, 64 B", runOnLoop(vertx, n -> direct(service, 64, n)));
      report(
          last,
          "bus, same context, 64 B",
          runOnLoop(vertx, n -> sameContext(vertx, service, 64, n)));
      report(last, "bus, other verticle, 64 B", runOnLoop(vertx, n -> otherVerticle(vertx, 64, n)));
      report(
          last,
          "bus, other verticle, 64 KiB",
          runOnLoop(vertx, n -> otherVerticle(vertx, 64 * 1024, n)));
      report(last, "serialize 64 KiB as JSON", serialize(64 * 1024, N / 20));
    }
    vertx.close().await();
  }

  private static void report(boolean print, String what, double nanosPerOp) {
    if (print) {
      System.out.printf("%-32s %10.0f ns/op%n", what, nanosPerOp);
    }
  }

  interface Loop {
    Future<Void> run(int n);
  }

  /** Runs {@code loop} from an event loop and returns nanoseconds per operation. */
  private static double runOnLoop(Vertx vertx, Loop loop) throws Exception {
    Promise<Long> took = Promise.promise();
    vertx.runOnContext(
        v -> {
          long t0 = System.nanoTime();
          loop.run(N).onSuccess(x -> took.complete(System.nanoTime() - t0)).onFailure(took::fail);
        });
    return took.future().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES)
        / (double) N;
  }

  private static Future<Void> direct(Service service, int size, int n) {
    Future<Reply> f = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      Request r = new Request(3, i, size);
      f = f.compose(x -> Future.succeededFuture(service.read(r)));
    }
    return f.mapEmpty();
  }

  private static Future<Void> sameContext(Vertx vertx, Service service, int size, int n) {
    var consumer =
        vertx.eventBus().<Request>consumer("bench.same", m -> m.reply(service.read(m.body())));
    return consumer
        .completion()
        .compose(v -> chain(vertx, "bench.same", size, n))
        .eventually(consumer::unregister);
  }

  private static Future<Void> otherVerticle(Vertx vertx, int size, int n) {
    return chain(vertx, "bench.other", size, n);
  }

  /** n sequential request/replies: the next request leaves when the previous reply arrived. */
  private static Future<Void> chain(Vertx vertx, String address, int size, int n) {
    Promise<Void> done = Promise.promise();
    step(vertx, address, size, 0, n, done);
    return done.future();
  }

  private static void step(
      Vertx vertx, String address, int size, int i, int n, Promise<Void> done) {
    if (i == n) {
      done.complete();
      return;
    }
    vertx
        .eventBus()
        .<Reply>request(address, new Request(3, i, size))
        .onSuccess(reply -> step(vertx, address, size, i + 1, n, done))
        .onFailure(done::fail);
  }

  private static double serialize(int size, int n) {
    byte[] data = new byte[size];
    long t0 = System.nanoTime();
    long sink = 0;
    for (int i = 0; i < n; i++) {
      Buffer wire = new JsonObject().put("data", data).toBuffer();
      sink += new JsonObject(wire).getBinary("data").length;
    }
    if (sink == 42) {
      System.out.println();
    }
    return (System.nanoTime() - t0) / (double) n;
  }
}
