package dev.mirrordj.agent.session;

import dev.mirrordj.agent.fs.FileService;
import dev.mirrordj.protocol.Message;
import java.util.concurrent.Executor;

/**
 * One client's files: its open handles ({@link FileService}) and the queue that runs its requests
 * one after the other on the blocking pool, in arrival order. Handed to the session by the files
 * verticle; the session calls it directly for every request (a bus hop per request would cost more
 * than the request itself), the verticle closes it when the client is gone.
 */
public final class FileSession {
  private final FileService files;
  private final FileRequestExecutor requests;
  private final SerialExecutor queue;

  public FileSession(FileService files, Executor blockingPool) {
    this.files = files;
    this.requests = new FileRequestExecutor(files);
    this.queue = new SerialExecutor(blockingPool);
  }

  /** Queues one file request; its reply goes to {@code sink}. */
  public void submit(Message request, int requestId, ClientSink sink) {
    queue.execute(() -> requests.execute(request, requestId, sink));
  }

  /** Closes every handle, behind the requests already queued. */
  public void close() {
    queue.execute(files::close);
  }
}
