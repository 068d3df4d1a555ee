package dev.mirrordj.agent.session;

import dev.mirrordj.agent.fs.FileService;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.Message;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's files: its open handles ({@link FileService}) and the queues that run its requests
 * on the blocking pool. Requests on one handle (or one path) keep their arrival order; requests on
 * different handles and paths run at the same time, so one thread of a program waiting for a slow
 * file (a FIFO, a big fetch) does not hold up its other threads and processes. A session uses at
 * most {@link #LANES} pool threads, so one client cannot take the whole pool. Handed to the session
 * by the files verticle; the session calls it directly for every request (a bus hop per request
 * would cost more than the request itself), the verticle closes it when the client is gone.
 */
public final class FileSession {
  /** Queues per session: requests of different handles or paths run on up to this many threads. */
  public static final int LANES = 4;

  private final FileService files;
  private final FileRequestExecutor requests;
  private final SerialExecutor[] lanes = new SerialExecutor[LANES];

  public FileSession(FileService files, Executor blockingPool) {
    this.files = files;
    this.requests = new FileRequestExecutor(files);
    for (int i = 0; i < LANES; i++) {
      lanes[i] = new SerialExecutor(blockingPool);
    }
  }

  /** Queues one file request; its reply goes to {@code sink}. */
  public void submit(Message request, int requestId, ClientSink sink) {
    lanes[Math.floorMod(orderKey(request).hashCode(), LANES)].execute(
        () -> requests.execute(request, requestId, sink));
  }

  /**
   * What a request must stay in order with: its handle (reads, writes, seeks and the close of one
   * fd run in the order they came), else its path.
   */
  static Object orderKey(Message m) {
    if (m instanceof Files.Read r) return r.fd();
    if (m instanceof Files.Pread r) return r.fd();
    if (m instanceof Files.Write r) return r.fd();
    if (m instanceof Files.Pwrite r) return r.fd();
    if (m instanceof Files.Seek r) return r.fd();
    if (m instanceof Files.Close r) return r.fd();
    if (m instanceof Files.Fstat r) return r.fd();
    if (m instanceof Files.ReadDir r) return r.fd();
    if (m instanceof Files.Ftruncate r) return r.fd();
    if (m instanceof Files.Open r) return r.path();
    if (m instanceof Files.Fetch r) return r.path();
    if (m instanceof Files.Stat r) return r.path();
    if (m instanceof Files.Access r) return r.path();
    if (m instanceof Files.OpenDir r) return r.path();
    if (m instanceof Files.ReadLink r) return r.path();
    if (m instanceof Files.Mkdir r) return r.path();
    if (m instanceof Files.Rmdir r) return r.path();
    if (m instanceof Files.Unlink r) return r.path();
    if (m instanceof Files.Rename r) return r.from();
    if (m instanceof Files.Truncate r) return r.path();
    if (m instanceof Files.StatFs r) return r.path();
    return m.type();
  }

  /** Closes every handle, behind the requests already queued on every lane. */
  public void close() {
    AtomicInteger waiting = new AtomicInteger(LANES);
    for (SerialExecutor lane : lanes) {
      lane.execute(
          () -> {
            if (waiting.decrementAndGet() == 0) {
              files.close();
            }
          });
    }
  }
}
