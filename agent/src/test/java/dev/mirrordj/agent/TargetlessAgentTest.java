package dev.mirrordj.agent;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.agent.session.FileSession;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.FileStat;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.Net;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.OutgoingStream;
import dev.mirrordj.protocol.client.RemoteErrnoException;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A targetless agent on loopback serves files, env, DNS, hostname and outgoing TCP to a real
 * client.
 */
@org.junit.jupiter.api.Timeout(60)
class TargetlessAgentTest {
  AgentHarness h;
  AgentClient c;

  @BeforeEach
  void setUp() {
    h = new AgentHarness();
    c = h.connect(h.start(null, Duration.ofSeconds(30), Duration.ofSeconds(30)));
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void handshakeAndPing() {
    assertTrue(c.hello().targetless());
    assertEquals("test", c.hello().agentVersion());
    assertTrue(c.ping().await() > 0);
  }

  @Test
  void filesReadWriteStatAndDirectories(@TempDir Path dir) throws Exception {
    byte[] content = new byte[300_000];
    new Random(1).nextBytes(content);
    Path f = dir.resolve("data.bin");
    java.nio.file.Files.write(f, content);
    java.nio.file.Files.setLastModifiedTime(f, FileTime.fromMillis(1_600_000_000_123L));

    assertArrayEquals(content, c.fetchFile(f.toString()).await().getBytes());

    long fd = c.request(new Files.Open(f.toString(), 0, 0), Files.HandleReply.class).await().fd();
    Buffer part = c.request(new Files.Pread(fd, 1000, 10), Files.BytesReply.class).await().data();
    assertArrayEquals(java.util.Arrays.copyOfRange(content, 1000, 1010), part.getBytes());
    FileStat st = c.request(new Files.Fstat(fd), Files.StatReply.class).await().stat();
    assertEquals(content.length, st.size());
    assertTrue(st.isRegularFile());
    assertEquals(1_600_000_000L, st.mtimeSec());
    assertEquals(123_000_000, st.mtimeNsec());
    assertEquals(java.nio.file.Files.getAttribute(f, "unix:ino"), st.ino());
    c.request(new Files.Close(fd)).await();
    RemoteErrnoException closedAgain =
        assertThrows(RemoteErrnoException.class, () -> c.request(new Files.Close(fd)).await());
    assertEquals(Errno.EBADF, closedAgain.errno());

    String newFile = dir.resolve("new.txt").toString();
    long wfd =
        c.request(
                new Files.Open(newFile, 0101 /* O_WRONLY|O_CREAT */, 0640), Files.HandleReply.class)
            .await()
            .fd();
    assertEquals(
        5,
        c.request(new Files.Write(wfd, Buffer.buffer("hello")), Files.CountReply.class)
            .await()
            .count());
    c.request(new Files.Close(wfd)).await();
    assertEquals("hello", java.nio.file.Files.readString(Path.of(newFile)));

    c.request(new Files.Mkdir(dir.resolve("sub").toString(), 0755)).await();
    java.nio.file.Files.createSymbolicLink(dir.resolve("link"), Path.of("data.bin"));
    assertEquals(
        "data.bin",
        c.request(new Files.ReadLink(dir.resolve("link").toString()), Files.PathReply.class)
            .await()
            .path());
    assertTrue(
        c.request(new Files.Stat(dir.resolve("link").toString(), false), Files.StatReply.class)
            .await()
            .stat()
            .isSymlink());

    long dfd = c.request(new Files.OpenDir(dir.toString()), Files.HandleReply.class).await().fd();
    java.util.Set<String> names = new java.util.HashSet<>();
    while (true) {
      List<Files.DirEntry> batch =
          c.request(new Files.ReadDir(dfd, 2), Files.DirEntriesReply.class).await().entries();
      if (batch.isEmpty()) break;
      batch.forEach(e -> names.add(e.name()));
    }
    assertEquals(java.util.Set.of(".", "..", "data.bin", "new.txt", "sub", "link"), names);

    c.request(new Files.Rename(newFile, dir.resolve("renamed.txt").toString())).await();
    c.request(new Files.Unlink(dir.resolve("renamed.txt").toString())).await();
    c.request(new Files.Rmdir(dir.resolve("sub").toString())).await();
    RemoteErrnoException missing =
        assertThrows(
            RemoteErrnoException.class,
            () -> c.request(new Files.Stat(dir.resolve("renamed.txt").toString(), true)).await());
    assertEquals(Errno.ENOENT, missing.errno());
  }

  /**
   * statfs answers what `stat -f` says about the same path; a missing path is the agent's ENOENT.
   */
  @Test
  void statfsOfAPath(@TempDir Path dir) throws Exception {
    dev.mirrordj.protocol.FsStat fs =
        c.request(new Files.StatFs(dir.toString()), Files.FsStatReply.class).await().stat();
    Process p = new ProcessBuilder("stat", "-f", "-c", "%t %S %b %c", dir.toString()).start();
    String expected = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(0, p.waitFor());
    assertEquals(
        expected,
        Long.toHexString(fs.type())
            + " "
            + fs.fragmentSize()
            + " "
            + fs.blocks()
            + " "
            + fs.files());
    RemoteErrnoException missing =
        assertThrows(
            RemoteErrnoException.class,
            () -> c.request(new Files.StatFs(dir.resolve("nope").toString())).await());
    assertEquals(Errno.ENOENT, missing.errno());
  }

  @Test
  void environmentFiltersAndDefaultExclusions() {
    Map<String, String> all =
        c.request(new Lookups.GetEnv(List.of(), List.of()), Lookups.EnvReply.class).await().vars();
    assertFalse(all.containsKey("PATH"), "PATH is a default exclusion");
    assertFalse(all.isEmpty());
    Map<String, String> wild =
        c.request(new Lookups.GetEnv(List.of("PAT*", "HOM?"), List.of()), Lookups.EnvReply.class)
            .await()
            .vars();
    assertTrue(wild.isEmpty(), "wildcards do not bring back default exclusions: " + wild);
    Map<String, String> literal =
        c.request(new Lookups.GetEnv(List.of("PATH"), List.of()), Lookups.EnvReply.class)
            .await()
            .vars();
    assertEquals(
        Map.of("PATH", System.getenv("PATH")),
        literal,
        "a literal include does (EnvFilter semantics)");
  }

  @Test
  void hostnameAndHostsLookup() throws Exception {
    String expected = java.net.InetAddress.getLocalHost().getHostName();
    Lookups.NameReply name = c.request(new Lookups.GetHostname(), Lookups.NameReply.class).await();
    assertEquals(Lookups.EAI_OK, name.status());
    assertEquals(
        java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(),
        name.name(),
        expected);
    Lookups.AddrInfoReply local =
        c.request(new Lookups.Resolve("localhost", 4, 1), Lookups.AddrInfoReply.class).await();
    assertEquals(Lookups.EAI_OK, local.status());
    assertArrayEquals(new byte[] {127, 0, 0, 1}, local.records().get(0).address());
  }

  @Test
  void outgoingTcpEchoWithHalfClose() throws Exception {
    EchoServer echo = new EchoServer();
    OutgoingStream s = c.connect(Net.KIND_TCP, "127.0.0.1", echo.port()).await();
    byte[] payload = new byte[1 << 20];
    new Random(3).nextBytes(payload);
    Buffer got = Buffer.buffer();
    Promise<Void> ended = Promise.promise();
    s.handler(got::appendBuffer).endHandler(v -> ended.tryComplete());
    s.write(Buffer.buffer(payload));
    s.shutdown();
    ended.future().await();
    assertArrayEquals(payload, got.getBytes());
    echo.close();
  }

  @Test
  void aStalledConnectionDoesNotStallTheOthers() throws Exception {
    // a firehose that never stops sending; its client stream is paused, so only credits hold it
    // back
    java.net.ServerSocket fire =
        new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              try (java.net.Socket s = fire.accept()) {
                byte[] chunk = new byte[65536];
                while (true) {
                  s.getOutputStream().write(chunk);
                }
              } catch (java.io.IOException closed) {
                // the test ended the connection
              }
            });
    t.setDaemon(true);
    t.start();
    try (EchoServer echo = new EchoServer()) {
      OutgoingStream hose = c.connect(Net.KIND_TCP, "127.0.0.1", fire.getLocalPort()).await();
      java.util.concurrent.atomic.AtomicLong received =
          new java.util.concurrent.atomic.AtomicLong();
      Promise<Void> flowing = Promise.promise();
      hose.handler(
          b -> {
            if (received.addAndGet(b.length()) >= 4L * Net.INITIAL_WINDOW) {
              flowing.tryComplete();
            }
          });
      hose.pause();
      OutgoingStream ping = c.connect(Net.KIND_TCP, "127.0.0.1", echo.port()).await();
      for (int i = 0; i < 200; i++) {
        Promise<Buffer> back = Promise.promise();
        ping.handler(back::tryComplete);
        ping.write(Buffer.buffer("ping " + i));
        assertEquals("ping " + i, back.future().await().toString());
      }
      assertEquals(0, received.get(), "the paused stream delivered nothing");
      hose.resume();
      flowing
          .future()
          .await(); // after resume the firehose flows again (the class timeout bounds this)
      hose.close();
    } finally {
      fire.close();
    }
  }

  @Test
  void aPeerThatStopsReadingFillsTheWriteQueueAndItsDrainComesOnceItReadsAgain() throws Exception {
    // the pod-side peer accepts and reads nothing until told to: the client must see its write
    // queue fill (bounded memory), and hear its drain once the peer reads again
    java.util.concurrent.CountDownLatch startReading = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicLong peerGot = new java.util.concurrent.atomic.AtomicLong();
    try (java.net.ServerSocket ss =
        new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Thread t =
          new Thread(
              () -> {
                try (java.net.Socket s = ss.accept()) {
                  startReading.await();
                  byte[] buf = new byte[65536];
                  int n;
                  while ((n = s.getInputStream().read(buf)) > 0) {
                    peerGot.addAndGet(n);
                  }
                } catch (Exception e) {
                  // the test ended the connection
                }
              });
      t.setDaemon(true);
      t.start();
      OutgoingStream s = c.connect(Net.KIND_TCP, "127.0.0.1", ss.getLocalPort()).await();
      Buffer chunk = Buffer.buffer(new byte[65536]);
      long written = 0;
      long limit = 256L * 1024 * 1024;
      Promise<Void> drained = null;
      // write while the queue has room; a full queue drains as long as the kernel buffers between
      // the agent and the peer take bytes, and stays full once they are full too
      while (written < limit) {
        while (!s.writeQueueFull() && written < limit) {
          s.write(chunk);
          written += chunk.length();
        }
        Promise<Void> p = Promise.promise();
        s.drainHandler(v -> p.tryComplete());
        try {
          p.future().timeout(1, java.util.concurrent.TimeUnit.SECONDS).await();
        } catch (Exception stillFull) {
          drained = p;
          break;
        }
      }
      assertNotNull(drained, "the write queue of a stream whose peer reads nothing stays full");
      assertTrue(written < limit, "memory stays bounded: stopped after " + written + " bytes");
      Thread.sleep(300);
      assertFalse(drained.future().isComplete(), "no drain while the peer still reads nothing");
      startReading.countDown();
      drained.future().await();
      assertFalse(s.writeQueueFull());
      s.close();
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (peerGot.get() < written && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(written, peerGot.get(), "every byte written before the close arrived");
    }
  }

  @Test
  void manySmallWritesArriveWholeAndInOrder() throws Exception {
    // small writes are joined into larger frames: the joins must keep every byte and the order
    try (EchoServer echo = new EchoServer()) {
      OutgoingStream s = c.connect(Net.KIND_TCP, "127.0.0.1", echo.port()).await();
      Buffer sent = Buffer.buffer();
      Buffer back = Buffer.buffer();
      Promise<Void> all = Promise.promise();
      Random r = new Random(7);
      for (int i = 0; i < 3000; i++) {
        byte[] piece = new byte[1 + r.nextInt(3000)];
        r.nextBytes(piece);
        sent.appendBytes(piece);
      }
      s.handler(
          b -> {
            back.appendBuffer(b);
            if (back.length() >= sent.length()) {
              all.tryComplete();
            }
          });
      Random sizes = new Random(7);
      int pos = 0;
      for (int i = 0; i < 3000; i++) {
        int n = 1 + sizes.nextInt(3000);
        sizes.nextBytes(new byte[n]);
        s.write(sent.slice(pos, pos + n));
        pos += n;
      }
      all.future().await();
      assertArrayEquals(sent.getBytes(), back.getBytes());
      s.close();
    }
  }

  @Test
  void aFileRequestThatBlocksDoesNotHoldUpRequestsOnOtherFiles(@TempDir Path dir) throws Exception {
    // opening a FIFO for reading blocks in the agent until a writer comes: meanwhile a stat of
    // another file (on another of the session's lanes) must be answered, as two threads of a
    // program would be by the kernel
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    int fifoLane = Math.floorMod(fifo.toString().hashCode(), FileSession.LANES);
    Path other = null;
    for (int i = 0; other == null; i++) {
      Path candidate = dir.resolve("other-" + i);
      if (Math.floorMod(candidate.toString().hashCode(), FileSession.LANES) != fifoLane) {
        other = candidate;
      }
    }
    java.nio.file.Files.writeString(other, "hello");
    var blockedOpen =
        c.request(new Files.Open(fifo.toString(), Errno.O_RDONLY, 0), Files.HandleReply.class);
    try {
      FileStat st =
          c.request(new Files.Stat(other.toString(), true), Files.StatReply.class)
              .timeout(10, java.util.concurrent.TimeUnit.SECONDS)
              .await()
              .stat();
      assertEquals(5, st.size());
      assertFalse(blockedOpen.isComplete(), "the FIFO's open still waits for a writer");
    } finally {
      try (var writer = new java.io.FileOutputStream(fifo.toFile())) {
        writer.write('x');
      }
    }
    long fd = blockedOpen.await().fd();
    c.request(new Files.Close(fd)).await();
  }

  @Test
  void remoteHalfCloseLeavesOurDirectionOpen() throws Exception {
    // the server says "bye" and shuts its write side first, then still reads everything we send
    java.util.concurrent.CompletableFuture<Long> serverGot =
        new java.util.concurrent.CompletableFuture<>();
    try (java.net.ServerSocket ss =
        new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Thread t =
          new Thread(
              () -> {
                try (java.net.Socket s = ss.accept()) {
                  s.getOutputStream().write("bye".getBytes());
                  s.shutdownOutput();
                  serverGot.complete((long) s.getInputStream().readAllBytes().length);
                } catch (java.io.IOException e) {
                  serverGot.completeExceptionally(e);
                }
              });
      t.setDaemon(true);
      t.start();
      OutgoingStream s = c.connect(Net.KIND_TCP, "127.0.0.1", ss.getLocalPort()).await();
      Buffer got = Buffer.buffer();
      Promise<Void> ended = Promise.promise();
      s.handler(got::appendBuffer).endHandler(v -> ended.tryComplete());
      ended.future().await();
      assertEquals("bye", got.toString());
      s.write(Buffer.buffer(new byte[100_000])).await();
      s.shutdown();
      assertEquals(100_000L, serverGot.get(30, java.util.concurrent.TimeUnit.SECONDS));
    }
  }

  @Test
  void connectionRefusedCarriesErrno() throws Exception {
    int closedPort;
    try (var ss = new java.net.ServerSocket(0)) {
      closedPort = ss.getLocalPort();
    }
    RemoteErrnoException e =
        assertThrows(
            RemoteErrnoException.class,
            () -> c.connect(Net.KIND_TCP, "127.0.0.1", closedPort).await());
    assertEquals(Errno.ECONNREFUSED, e.errno());
  }

  @Test
  void unknownRequestGetsEnosysAndSessionContinues() {
    Message reply =
        c.request(new dev.mirrordj.protocol.Control.Ok())
            .recover(
                e -> {
                  assertEquals(Errno.ENOSYS, ((RemoteErrnoException) e).errno());
                  return io.vertx.core.Future.succeededFuture(null);
                })
            .await();
    assertNull(reply);
    assertTrue(c.ping().await() > 0);
  }
}
