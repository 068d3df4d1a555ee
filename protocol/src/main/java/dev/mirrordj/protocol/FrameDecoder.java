package dev.mirrordj.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into {@link Frame}s. Bytes are fed as they arrive, in chunks of any size; each
 * complete frame goes to the sink. A length outside {@code [6, Frame.MAX_LENGTH]} throws {@link
 * ProtocolException} before anything of that size is buffered, so a hostile peer cannot make us
 * allocate more than one maximum frame. After an exception the decoder must not be used again.
 */
public final class FrameDecoder {
  private final Consumer<Frame> sink;
  private Buffer pending = Buffer.buffer();
  private int readPos;
  private boolean failed;

  public FrameDecoder(Consumer<Frame> sink) {
    this.sink = sink;
  }

  /** Appends {@code chunk} and emits every frame it completes. */
  public void feed(Buffer chunk) {
    if (failed) {
      throw new ProtocolException("decoder already failed on this connection");
    }
    pending.appendBuffer(chunk);
    try {
      while (pending.length() - readPos >= 4) {
        int length = pending.getInt(readPos);
        if (length < Frame.HEADER_AFTER_LENGTH || length > Frame.MAX_LENGTH) {
          throw new ProtocolException(
              "frame length "
                  + Integer.toUnsignedString(length)
                  + " is outside the accepted range "
                  + Frame.HEADER_AFTER_LENGTH
                  + ".."
                  + Frame.MAX_LENGTH);
        }
        if (pending.length() - readPos < 4 + length) {
          break;
        }
        int type = pending.getUnsignedShort(readPos + 4);
        int requestId = pending.getInt(readPos + 6);
        // a view, not a copy: compaction replaces `pending` rather than overwriting it
        Buffer body = pending.slice(readPos + 10, readPos + 4 + length);
        readPos += 4 + length;
        sink.accept(new Frame(type, requestId, body));
      }
    } catch (ProtocolException e) {
      failed = true;
      throw e;
    }
    compact();
  }

  /** Bytes received that do not yet form a whole frame. */
  public int bufferedBytes() {
    return pending.length() - readPos;
  }

  private void compact() {
    if (readPos == 0) {
      return;
    }
    pending =
        readPos == pending.length()
            ? Buffer.buffer()
            : pending.getBuffer(readPos, pending.length());
    readPos = 0;
  }
}
