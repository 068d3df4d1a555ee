package dev.mirrordj.agent.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentCodecs;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.bus.RecordingSink;
import dev.mirrordj.agent.session.FileSession;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Files;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files verticle alone, through its addresses: a session attaches and gets its file session;
 * when the client is gone its handles are closed.
 */
@ExtendWith(VertxExtension.class)
class FilesVerticleTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void attachServesFilesAndClientGoneClosesTheHandles(
      Vertx vertx, VertxTestContext ctx, @TempDir Path root) throws Exception {
    java.nio.file.Files.writeString(root.resolve("hello.txt"), "hello from the pod");
    FilesVerticle files = new FilesVerticle(new PathResolver(root), pool);
    vertx.deployVerticle(files).await();
    AgentCodecs.register(vertx);
    RecordingSink sink = new RecordingSink();

    FileSession session =
        vertx
            .eventBus()
            .<FileSession>request(
                AgentAddresses.LOCAL_FILES_ATTACH,
                new AgentMessages.Attach("session-1", "session 1", sink))
            .await()
            .body();
    assertEquals(1, files.clients());

    session.submit(new Files.Open("/hello.txt", 0, 0), 1, sink);
    RecordingSink.Sent opened = sink.next();
    assertEquals(1, opened.requestId());
    long fd = assertInstanceOf(Files.HandleReply.class, opened.message()).fd();
    session.submit(new Files.Read(fd, 100), 2, sink);
    assertEquals(
        "hello from the pod",
        assertInstanceOf(Files.BytesReply.class, sink.next().message()).data().toString());

    vertx
        .eventBus()
        .publish(AgentAddresses.CLIENT_GONE, new AgentMessages.ClientGone("session-1", "test"));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (files.clients() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, files.clients(), "the client's file session is released");
    // the close is queued behind earlier requests: a request after it finds no handle
    session.submit(new Files.Fstat(fd), 3, sink);
    Control.ErrorReply err = assertInstanceOf(Control.ErrorReply.class, sink.next().message());
    assertEquals(Errno.EBADF, err.errno(), "handles are closed once the client is gone");
    ctx.completeNow();
  }
}
