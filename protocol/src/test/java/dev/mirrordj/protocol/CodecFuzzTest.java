package dev.mirrordj.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Round trips every message type and throws random, truncated and oversized input at the decoder.
 */
class CodecFuzzTest {

  static List<Message> samples() {
    FileStat st =
        new FileStat(1, 2, 0100644, 1, 1000, 1000, 0, 42, 4096, 8, 1, 2, 3, 4, 5, 999_999_999);
    return List.of(
        new Control.Hello(1, 0, "test"),
        new Control.HelloOk(1, 0, "0.1.0", true),
        new Control.Ping(),
        new Control.Pong(),
        new Control.ErrorReply(Errno.ENOENT, "no such file"),
        new Control.Ok(),
        new Control.Goodbye("bye"),
        new Auth.Request(),
        new Auth.Challenge(
            io.vertx.core.buffer.Buffer.buffer(new byte[] {1, 2, 3}), "mirrordj agent"),
        new Auth.Proof(io.vertx.core.buffer.Buffer.buffer(new byte[] {4, 5})),
        new Control.OperatorHello(
            "deployment/api", "root", "alice", "s1", "override", "{\"copy_target\":true}"),
        new Files.Open("/etc/hosts", 0, 0644),
        new Files.Read(3, 100),
        new Files.Pread(3, 7, 9),
        new Files.Write(3, Buffer.buffer("abc")),
        new Files.Pwrite(3, 5, Buffer.buffer("zz")),
        new Files.Seek(3, -4, 2),
        new Files.Close(3),
        new Files.Fetch("/x"),
        new Files.Stat("/y", false),
        new Files.Fstat(3),
        new Files.Access("/z", 4),
        new Files.OpenDir("/"),
        new Files.ReadDir(4, 10),
        new Files.ReadLink("/l"),
        new Files.Mkdir("/d", 0755),
        new Files.Rmdir("/d"),
        new Files.Unlink("/f"),
        new Files.Rename("/a", "/b"),
        new Files.Truncate("/t", 10),
        new Files.Ftruncate(3, 0),
        new Files.HandleReply(9),
        new Files.BytesReply(Buffer.buffer(new byte[] {0, 1, 2})),
        new Files.CountReply(77),
        new Files.Chunk(Buffer.buffer("part"), true),
        new Files.StatReply(st),
        new Files.DirEntriesReply(
            List.of(new Files.DirEntry("a", 5, 8), new Files.DirEntry("ü", 6, 4))),
        new Files.PathReply("/target"),
        new Files.StatFs("/data"),
        new Files.FsStatReply(
            new FsStat(0x01021994L, 4096, 2560, 2500, 2500, 1000, 990, 0x1234, 255, 4096, 0x20)),
        new Lookups.GetEnv(List.of("A*"), List.of("B?")),
        new Lookups.EnvReply(Map.of("K", "V")),
        new Lookups.Resolve("svc.cluster.local", 4, 1),
        new Lookups.Reverse(new byte[] {127, 0, 0, 1}),
        new Lookups.GetHostname(),
        new Lookups.NameReply(0, "pod"),
        new Net.Connect(5, Net.KIND_TCP, "10.0.0.1", 8080),
        new Net.Connected(5, "10.0.0.2", 4000, "10.0.0.1", 8080),
        new Net.Data(5, Buffer.buffer("payload")),
        new Net.Shutdown(5),
        new Net.Close(5, 104),
        new Net.Credit(5, 1000));
  }

  @Test
  void everyMessageRoundTrips() {
    for (Message m : samples()) {
      List<Frame> got = new ArrayList<>();
      assertEquals(m.toFrame(17).toBuffer(), m.toWire(17), "single-buffer encoding matches " + m);
      new FrameDecoder(got::add).feed(m.toWire(17));
      assertEquals(1, got.size(), m.toString());
      assertEquals(17, got.get(0).requestId());
      Message back = MessageCodec.decode(got.get(0));
      assertEquals(m.getClass(), back.getClass());
      // records holding Buffers/arrays compare by identity, so compare the re-encoded bytes
      assertEquals(m.toFrame(17).toBuffer(), back.toFrame(17).toBuffer(), m.toString());
    }
  }

  @Test
  void anOperatorHelloOfFiveFieldsHasNoTargetOptions() {
    // what a client from before target options sends: the five strings alone
    Buffer body = Buffer.buffer();
    WireWriter w = new WireWriter(body);
    w.string("pid/7").string("root").string("").string("s2").string("");
    Frame frame = new Frame(MessageTypes.OPERATOR_HELLO, 3, body);
    Control.OperatorHello hello = (Control.OperatorHello) MessageCodec.decode(frame);
    assertEquals(new Control.OperatorHello("pid/7", "root", "", "s2", "", ""), hello);
  }

  @Test
  void framesSplitAtEveryByteBoundaryStillDecode() {
    Buffer stream = Buffer.buffer();
    for (Message m : samples()) {
      stream.appendBuffer(m.toFrame(1).toBuffer());
    }
    List<Frame> got = new ArrayList<>();
    FrameDecoder d = new FrameDecoder(got::add);
    Random rnd = new Random(7);
    int pos = 0;
    while (pos < stream.length()) {
      int n = Math.min(stream.length() - pos, 1 + rnd.nextInt(13));
      d.feed(stream.getBuffer(pos, pos + n));
      pos += n;
    }
    assertEquals(samples().size(), got.size());
    assertEquals(0, d.bufferedBytes());
  }

  @Test
  void oversizedAndUndersizedLengthsAreRejectedBeforeBuffering() {
    for (int len : new int[] {Frame.MAX_LENGTH + 1, -1, 0, 5, Integer.MAX_VALUE}) {
      FrameDecoder d = new FrameDecoder(f -> fail("no frame expected"));
      ProtocolException e =
          assertThrows(ProtocolException.class, () -> d.feed(Buffer.buffer().appendInt(len)));
      assertTrue(e.getMessage().contains("outside the accepted range"), e.getMessage());
    }
    assertThrows(
        ProtocolException.class,
        () -> new Frame(1, 1, Buffer.buffer(new byte[Frame.MAX_BODY + 1])).toBuffer());
  }

  @Test
  void truncatedBodiesFailWithProtocolException() {
    for (Message m : samples()) {
      Frame f = m.toFrame(1);
      for (int cut = 0; cut < f.body().length(); cut++) {
        Frame shortFrame = new Frame(f.type(), 1, f.body().getBuffer(0, cut));
        Message decoded;
        try {
          decoded = MessageCodec.decode(shortFrame);
        } catch (ProtocolException expected) {
          continue;
        }
        // the only cut that may decode is an older form without an optional trailing field: a
        // different message, whose own encoding is the cut bytes plus that field at its default
        Buffer canonical = decoded.toFrame(1).body();
        assertTrue(
            !decoded.equals(m)
                && canonical.length() > cut
                && canonical.getBuffer(0, cut).equals(shortFrame.body()),
            m + " cut at " + cut + " decoded as " + decoded);
      }
      Frame longer = new Frame(f.type(), 1, f.body().copy().appendByte((byte) 1));
      assertThrows(
          ProtocolException.class, () -> MessageCodec.decode(longer), m + " with trailing byte");
    }
  }

  @Test
  void randomGarbageNeverEscapesAsAnythingButProtocolErrors() {
    Random rnd = new Random(42);
    int frames = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] junk = new byte[rnd.nextInt(64)];
      rnd.nextBytes(junk);
      if (rnd.nextBoolean() && junk.length >= 10) {
        // plausible header so the body decoders get exercised too
        int len = junk.length - 4;
        junk[0] = 0;
        junk[1] = 0;
        junk[2] = (byte) (len >> 8);
        junk[3] = (byte) len;
        List<Integer> known =
            List.of(0x0001, 0x0101, 0x0102, 0x0186, 0x0201, 0x0282, 0x0301, 0x0305);
        int t = known.get(rnd.nextInt(known.size()));
        junk[4] = (byte) (t >> 8);
        junk[5] = (byte) t;
      }
      List<Frame> got = new ArrayList<>();
      try {
        new FrameDecoder(got::add).feed(Buffer.buffer(junk));
      } catch (ProtocolException expected) {
        continue;
      }
      for (Frame f : got) {
        frames++;
        try {
          MessageCodec.decode(f);
        } catch (ProtocolException | MessageCodec.UnknownMessageException expected) {
          // the only two outcomes a peer has to handle
        }
      }
    }
    assertTrue(frames > 1000, "the fuzzer should have produced decodable frames, got " + frames);
  }

  @Test
  void helloWithBadMagicIsRefused() {
    Frame f =
        new Frame(
            MessageTypes.HELLO,
            1,
            Buffer.buffer()
                .appendInt(0x47455420)
                .appendShort((short) 1)
                .appendShort((short) 0)
                .appendInt(0));
    ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(f));
    assertTrue(e.getMessage().contains("bad magic"));
  }

  @Test
  void invalidUtf8AndBadBooleansAreRejected() {
    Frame badString =
        new Frame(
            MessageTypes.FILE_FETCH,
            1,
            Buffer.buffer().appendInt(2).appendByte((byte) 0xC3).appendByte((byte) 0x28));
    assertThrows(ProtocolException.class, () -> MessageCodec.decode(badString));
    Frame badBool =
        new Frame(
            MessageTypes.FILE_STAT,
            1,
            Buffer.buffer().appendInt(1).appendByte((byte) '/').appendByte((byte) 2));
    assertThrows(ProtocolException.class, () -> MessageCodec.decode(badBool));
  }
}
