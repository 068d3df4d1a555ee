package dev.mirrordj.agent.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.fs.FileService;
import dev.mirrordj.agent.fs.PathResolver;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.FrameDecoder;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.Net;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * feature.fs.readonly_file_buffer reaches the agent in the fetch request and sets the size of the
 * chunks a remote file comes in: exactly that size, kept inside one frame and above a floor, the
 * agent's default when the client sends none. The file is a real one read through FileService.
 */
class FetchChunkSizeTest {
  @TempDir Path root;

  private List<Files.Chunk> fetch(Message request) {
    List<Files.Chunk> chunks = new ArrayList<>();
    ClientSink sink =
        new ClientSink() {
          @Override
          public void send(Message message, int requestId) {
            chunks.add((Files.Chunk) message);
          }

          @Override
          public boolean isClosed() {
            return false;
          }
        };
    new FileRequestExecutor(new FileService(new PathResolver(root))).execute(request, 7, sink);
    return chunks;
  }

  private static byte[] joined(List<Files.Chunk> chunks) {
    Buffer all = Buffer.buffer();
    chunks.forEach(c -> all.appendBuffer(c.data()));
    return all.getBytes();
  }

  @Test
  void chunksHaveTheRequestedSizeAndJoinToTheFile() throws Exception {
    byte[] content = new byte[300_000];
    new Random(3).nextBytes(content);
    java.nio.file.Files.write(root.resolve("data.bin"), content);

    List<Files.Chunk> chunks = fetch(new Files.Fetch("/data.bin", 128_000));
    assertEquals(
        List.of(128_000, 128_000, 44_000, 0), chunks.stream().map(c -> c.data().length()).toList());
    assertTrue(chunks.get(chunks.size() - 1).last(), "the empty chunk ends the fetch");
    assertArrayEquals(content, joined(chunks));

    // no size given: the agent's default
    assertEquals(Net.MAX_CHUNK, fetch(new Files.Fetch("/data.bin")).get(0).data().length());
  }

  @Test
  void sizesOutsideWhatAFrameCarriesAreKeptInside() throws Exception {
    byte[] content = new byte[3 * 1024 * 1024];
    new Random(5).nextBytes(content);
    java.nio.file.Files.write(root.resolve("big.bin"), content);

    List<Files.Chunk> huge = fetch(new Files.Fetch("/big.bin", 15 * 1024 * 1024));
    int first = huge.get(0).data().length();
    assertEquals(FileRequestExecutor.MAX_FETCH_CHUNK, first);
    // every chunk really fits a frame once encoded
    for (Files.Chunk c : huge) {
      assertTrue(c.toWire(7).length() <= Frame.MAX_LENGTH + 4, "chunk frame within the limit");
    }
    assertArrayEquals(content, joined(huge));

    assertEquals(4096, fetch(new Files.Fetch("/big.bin", 1)).get(0).data().length());
  }

  @Test
  void theChunkSizeCrossesTheWire() {
    Files.Fetch sent = new Files.Fetch("/etc/app.conf", 256_000);
    List<Frame> frames = new ArrayList<>();
    new FrameDecoder(frames::add).feed(sent.toWire(3));
    assertEquals(sent, MessageCodec.decode(frames.get(0)));
  }
}
