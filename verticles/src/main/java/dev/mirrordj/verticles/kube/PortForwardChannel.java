package dev.mirrordj.verticles.kube;

import io.fabric8.kubernetes.client.http.WebSocket;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One local connection bridged to one port-forward WebSocket. Frames of {@code v4.channel.k8s.io}
 * are {@code [channel][payload]}: channel 0 carries data, channel 1 errors; the first frame on each
 * channel is the 2-byte port number, which is skipped. Back-pressure both ways: the next WebSocket
 * message is requested while the local socket's write queue has room (else when it drains), and the
 * local socket pauses while the WebSocket send queue is long.
 */
final class PortForwardChannel implements WebSocket.Listener {
  private static final long MAX_QUEUED = 1 << 20;
  static final int MAX_FRAME_PAYLOAD = 32 * 1024;
  private static final int DATA = 0;
  private static final int ERROR = 1;

  private final Vertx vertx;
  private final NetSocket local;
  private final String label;
  private final int[] portBytesLeft = {2, 2};
  private final StringBuilder error = new StringBuilder();
  private volatile WebSocket ws;

  /**
   * Set once this attempt's WebSocket opened; a failed attempt's callbacks must not touch the local
   * socket.
   */
  private volatile boolean opened;

  private volatile boolean closed;

  /** The last local write: closing waits for it so the pod's final bytes are not cut off. */
  private volatile io.vertx.core.Future<Void> lastWrite = io.vertx.core.Future.succeededFuture();

  PortForwardChannel(Vertx vertx, NetSocket local, String label) {
    this.vertx = vertx;
    this.local = local;
    this.label = label;
  }

  /** Called once the WebSocket is open: start moving local bytes. */
  void start(WebSocket socket) {
    AgentPortForward.log().debug("{}: port-forward stream open", label);
    this.ws = socket;
    local.handler(
        buf -> {
          // Bounded frames: WebSocket peers commonly refuse frames above 64 KiB (Vert.x's default).
          for (int from = 0; from < buf.length(); from += MAX_FRAME_PAYLOAD) {
            int to = Math.min(buf.length(), from + MAX_FRAME_PAYLOAD);
            ByteBuffer frame = ByteBuffer.allocate(to - from + 1);
            frame.put((byte) DATA).put(buf.getBytes(from, to)).flip();
            socket.send(frame);
          }
          if (socket.queueSize() > MAX_QUEUED) {
            local.pause();
            resumeWhenDrained(socket);
          }
        });
    local.closeHandler(
        v -> {
          if (!closed) {
            closed = true;
            socket.sendClose(1000, "local connection closed");
          }
        });
    local.exceptionHandler(
        err -> AgentPortForward.log().debug("{}: local socket error: {}", label, err.toString()));
    local.resume();
  }

  private void resumeWhenDrained(WebSocket socket) {
    vertx.setTimer(
        5,
        t -> {
          if (socket.queueSize() > MAX_QUEUED / 2) {
            resumeWhenDrained(socket);
          } else {
            local.resume();
          }
        });
  }

  @Override
  public void onOpen(WebSocket socket) {
    opened = true;
  }

  @Override
  public void onMessage(WebSocket socket, ByteBuffer message) {
    if (!message.hasRemaining()) {
      socket.request();
      return;
    }
    int channel = message.get() & 0xFF;
    if (channel > ERROR) {
      AgentPortForward.log()
          .warn("{}: protocol error, frame on unknown channel {}", label, channel);
      closeBoth(socket, 1002, "unknown channel");
      return;
    }
    while (portBytesLeft[channel] > 0 && message.hasRemaining()) {
      message.get();
      portBytesLeft[channel]--;
    }
    if (!message.hasRemaining()) {
      socket.request();
      return;
    }
    if (channel == ERROR) {
      error.append(StandardCharsets.UTF_8.decode(message));
      AgentPortForward.log().warn("{}: port-forward error from the API server: {}", label, error);
      closeBoth(socket, 1000, "error reported");
      return;
    }
    byte[] data = new byte[message.remaining()];
    message.get(data);
    lastWrite = local.write(Buffer.buffer(data));
    // Ask for the next frame at once unless the local side is backed up: frames left waiting in the
    // paused WebSocket are lost if the stream then ends abruptly (seen as a flaky empty read).
    if (local.writeQueueFull()) {
      local.drainHandler(v -> socket.request());
    } else {
      socket.request();
    }
  }

  @Override
  public void onClose(WebSocket socket, int code, String reason) {
    if (!opened) {
      return;
    }
    AgentPortForward.log()
        .debug("{}: port-forward stream closed by the server: {} {}", label, code, reason);
    closed = true;
    lastWrite.onComplete(ar -> local.close());
  }

  @Override
  public void onError(WebSocket socket, Throwable t) {
    if (opened) {
      AgentPortForward.log().debug("{}: port-forward stream failed: {}", label, t.toString());
      closed = true;
      local.close();
    }
  }

  private void closeBoth(WebSocket socket, int code, String reason) {
    closed = true;
    socket.sendClose(code, reason);
    local.close();
  }
}
