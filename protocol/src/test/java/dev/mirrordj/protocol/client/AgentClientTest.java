package dev.mirrordj.protocol.client;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.FrameDecoder;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** AgentClient against scripted fake agents: multiplexing, heartbeat loss, loud failure. */
@Timeout(30)
class AgentClientTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A fake agent: answers HELLO, then hands every other frame to {@code behaviour}. */
  private int fakeAgent(BiConsumer<NetSocket, Frame> behaviour) {
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                sock -> {
                  FrameDecoder d =
                      new FrameDecoder(
                          f -> {
                            Message m = MessageCodec.decode(f);
                            if (m instanceof Control.Hello) {
                              sock.write(
                                  new Control.HelloOk(1, 0, "fake", true)
                                      .toFrame(f.requestId())
                                      .toBuffer());
                            } else {
                              behaviour.accept(sock, f);
                            }
                          });
                  sock.handler(d::feed);
                });
    return server.listen(0, "127.0.0.1").await().actualPort();
  }

  private AgentClient connect(int port, Duration heartbeatTimeout) {
    return AgentClient.connect(
            vertx,
            "127.0.0.1",
            port,
            new AgentClientOptions()
                .heartbeatInterval(Duration.ofMillis(200))
                .heartbeatTimeout(heartbeatTimeout))
        .await();
  }

  @Test
  void repliesOutOfOrderReachTheirOwnRequests() {
    List<Frame> held = new ArrayList<>();
    int port =
        fakeAgent(
            (sock, f) -> {
              if (f.type() == 0x0003) {
                sock.write(new Control.Pong().toFrame(f.requestId()).toBuffer());
                return;
              }
              held.add(f);
              if (held.size() == 3) {
                // answer in reverse order, each with its own path length as the count
                for (int i = 2; i >= 0; i--) {
                  Files.Stat st = (Files.Stat) MessageCodec.decode(held.get(i));
                  sock.write(
                      new Files.CountReply(st.path().length())
                          .toFrame(held.get(i).requestId())
                          .toBuffer());
                }
              }
            });
    AgentClient c = connect(port, Duration.ofSeconds(10));
    Future<Files.CountReply> a = c.request(new Files.Stat("/a", true), Files.CountReply.class);
    Future<Files.CountReply> b = c.request(new Files.Stat("/bb", true), Files.CountReply.class);
    Future<Files.CountReply> cc = c.request(new Files.Stat("/ccc", true), Files.CountReply.class);
    assertEquals(2, a.await().count());
    assertEquals(3, b.await().count());
    assertEquals(4, cc.await().count());
  }

  @Test
  void silentAgentIsDeclaredLostAndEveryRequestFails() {
    int port =
        fakeAgent(
            (sock, f) -> {
              /* never answers anything after the handshake */
            });
    AgentClient c =
        connect(port, Duration.ofSeconds(3)); // slack for the handshake on a loaded machine
    Future<Message> pending = c.request(new Files.Stat("/x", true));
    AgentLostException lost = assertThrows(AgentLostException.class, () -> pending.await());
    assertTrue(lost.getMessage().contains("heartbeat timeout"), lost.getMessage());
    assertThrows(
        AgentLostException.class,
        () -> c.request(new Files.Stat("/y", true)).await(),
        "later requests fail too");
    assertTrue(c.lost().failed());
  }

  @Test
  void agentClosingTheConnectionFailsPendingRequests() {
    int port = fakeAgent((sock, f) -> sock.close());
    AgentClient c = connect(port, Duration.ofSeconds(10));
    AgentLostException lost =
        assertThrows(AgentLostException.class, () -> c.request(new Files.Stat("/x", true)).await());
    assertTrue(lost.getMessage().contains("closed by the agent"), lost.getMessage());
  }

  @Test
  void garbageFromTheAgentIsAProtocolErrorNotAHang() {
    int port =
        fakeAgent(
            (sock, f) ->
                sock.write(
                    Buffer.buffer(
                        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})));
    AgentClient c = connect(port, Duration.ofSeconds(10));
    AgentLostException lost =
        assertThrows(AgentLostException.class, () -> c.request(new Files.Stat("/x", true)).await());
    assertTrue(lost.getMessage().contains("protocol error"), lost.getMessage());
  }

  @Test
  void errorRepliesCarryTheErrno() {
    int port =
        fakeAgent(
            (sock, f) ->
                sock.write(new Control.ErrorReply(13, "denied").toFrame(f.requestId()).toBuffer()));
    AgentClient c = connect(port, Duration.ofSeconds(10));
    RemoteErrnoException e =
        assertThrows(
            RemoteErrnoException.class, () -> c.request(new Files.Stat("/x", true)).await());
    assertEquals(13, e.errno());
  }
}
