package dev.mirrordj.agent.bus;

import dev.mirrordj.agent.session.ClientSink;
import dev.mirrordj.protocol.Message;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A client sink for verticle tests: records what a feature sends to the client. */
public final class RecordingSink implements ClientSink {
  public record Sent(Message message, int requestId) {}

  private final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  @Override
  public void send(Message message, int requestId) {
    sent.add(new Sent(message, requestId));
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  public void close() {
    closed = true;
  }

  /** The next thing sent, waiting up to 10 s; fails when nothing comes. */
  public Sent next() throws InterruptedException {
    Sent s = sent.poll(10, TimeUnit.SECONDS);
    if (s == null) {
      throw new AssertionError("nothing was sent to the client within 10 s");
    }
    return s;
  }
}
