package dev.mirrordj.agent.session;

import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.FairFrameWriter;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.Net;
import java.util.function.BooleanSupplier;

/**
 * Decides which of a session's frames are bulk streams and which jump the queue. Connection data
 * and whole-file chunks are streams of the {@link FairFrameWriter}, taken round-robin one frame at
 * a time while the socket has room, so a big fetch can delay neither a pong nor another
 * connection's bytes by more than one frame; every other reply goes out at once.
 */
final class ClientWriter implements ClientSink {
  /**
   * How many chunks a fetch may have waiting for their turn: enough that the reading thread is not
   * woken for every single frame, little enough (256 KiB) to bound memory per fetch.
   */
  static final int FETCH_AHEAD = 4;

  /** The fair-writer key of a whole-file fetch (distinct from connection ids, which are Longs). */
  record FetchStream(int requestId) {}

  private final FairFrameWriter writer;
  private final BooleanSupplier closed;

  ClientWriter(FairFrameWriter writer, BooleanSupplier closed) {
    this.writer = writer;
    this.closed = closed;
  }

  @Override
  public void send(Message message, int requestId) {
    if (closed.getAsBoolean()) {
      return;
    }
    if (message instanceof Net.Data d) {
      writer.stream(d.connId(), message.toWire(requestId));
    } else if (message instanceof Net.Shutdown sh) {
      writer.stream(sh.connId(), message.toWire(requestId));
    } else if (message instanceof Net.Close c) {
      writer.stream(c.connId(), message.toWire(requestId));
    } else if (message instanceof Files.Chunk
        || message instanceof Control.ErrorReply && writer.queued(new FetchStream(requestId)) > 0) {
      // an error in the middle of a fetch stays behind the chunks it ends
      writer.stream(new FetchStream(requestId), message.toWire(requestId));
    } else {
      writer.urgent(message.toWire(requestId));
    }
  }

  @Override
  public void awaitFetchRoom(int requestId) throws InterruptedException {
    writer.awaitRoom(new FetchStream(requestId), FETCH_AHEAD);
  }

  @Override
  public boolean isClosed() {
    return closed.getAsBoolean();
  }
}
