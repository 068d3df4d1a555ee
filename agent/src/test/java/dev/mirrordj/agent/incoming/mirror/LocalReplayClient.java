package dev.mirrordj.agent.incoming.mirror;

import dev.mirrordj.sniffer.FlowKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test stand-in for what the local side does with mirrored traffic: replays each mirrored
 * connection into a new connection to the local program and discards its answers. Work is handed to
 * one thread so the capture thread never blocks (and per-connection order is kept).
 */
final class LocalReplayClient implements MirrorClient {

  private final String id;
  private final int localPort;
  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final Map<Long, Socket> sockets = new ConcurrentHashMap<>();
  final AtomicLong lostBytes = new AtomicLong();
  final AtomicLong connections = new AtomicLong();

  LocalReplayClient(String id, int localPort) {
    this.id = id;
    this.localPort = localPort;
    // start the worker thread here: a thread created from the capture thread would inherit
    // the target's network namespace and could not reach the local program
    try {
      worker.submit(() -> {}).get();
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void connectionStarted(long connectionId, FlowKey flow, boolean midStream) {
    connections.incrementAndGet();
    worker.execute(
        () -> {
          try {
            Socket s = new Socket("127.0.0.1", localPort);
            Thread drain =
                new Thread(
                    () -> {
                      try {
                        s.getInputStream()
                            .transferTo(OutputStream.nullOutputStream()); // answers are discarded
                      } catch (IOException ignored) {
                        // closed
                      }
                    });
            drain.setDaemon(true);
            drain.start();
            sockets.put(connectionId, s);
          } catch (IOException e) {
            throw new IllegalStateException("local program unreachable", e);
          }
        });
  }

  @Override
  public void data(long connectionId, byte[] bytes) {
    worker.execute(
        () -> {
          Socket s = sockets.get(connectionId);
          if (s != null) {
            try {
              s.getOutputStream().write(bytes);
            } catch (IOException ignored) {
              // the local program closed; mirrored data for it is dropped
            }
          }
        });
  }

  @Override
  public void lost(long connectionId, long missingBytes) {
    lostBytes.addAndGet(missingBytes);
  }

  @Override
  public void connectionEnded(long connectionId) {
    worker.execute(
        () -> {
          Socket s = sockets.remove(connectionId);
          if (s != null) {
            try {
              s.shutdownOutput();
            } catch (IOException ignored) {
              // already gone
            }
          }
        });
  }

  void close() {
    worker.shutdownNow();
    sockets
        .values()
        .forEach(
            s -> {
              try {
                s.close();
              } catch (IOException ignored) {
                // closing anyway
              }
            });
  }
}
