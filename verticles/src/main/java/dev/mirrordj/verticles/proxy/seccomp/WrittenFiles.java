package dev.mirrordj.verticles.proxy.seccomp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod files opened for writing, held as memfds the supervisor keeps a copy of. The supervisor does
 * not see close(2) (intercepting every close would cost every program a round trip per close), so a
 * file goes back to the pod when the process that opened it has exited, before the same path is
 * opened again, and when the session ends.
 */
final class WrittenFiles {
  private static final Logger log = LoggerFactory.getLogger(WrittenFiles.class);

  private record Written(int pid, String path, int memfd) {}

  private final SupervisedCalls calls;
  private final Map<String, Written> byPath = new ConcurrentHashMap<>();

  /** Write-backs under way: the session waits for them before it closes the agent link. */
  private final java.util.Set<Future<Void>> inFlight = ConcurrentHashMap.newKeySet();

  WrittenFiles(SupervisedCalls calls) {
    this.calls = calls;
  }

  /** Takes ownership of {@code memfd}, our copy of what process {@code pid} writes to. */
  void track(int pid, String path, int memfd) {
    Written previous = byPath.put(path, new Written(pid, path, memfd));
    if (previous != null) writeBack(previous);
  }

  /** Writes the path back (if pending) before it is opened again; the file stays tracked. */
  Future<Void> flush(String path) {
    Written w = byPath.get(path);
    return w == null ? Future.succeededFuture() : send(w);
  }

  /** Writes back the files of processes that have exited. */
  void sweep() {
    for (Written w : List.copyOf(byPath.values())) {
      if (!Files.exists(Path.of("/proc", Integer.toString(w.pid()))) && byPath.remove(w.path(), w))
        writeBack(w);
    }
  }

  /** Writes everything back (session end); completes when the pod has all of it. */
  Future<Void> flushAll() {
    List<Future<Void>> all = new ArrayList<>(inFlight);
    for (Written w : List.copyOf(byPath.values())) {
      if (byPath.remove(w.path(), w)) all.add(writeBack(w));
    }
    return Future.join(all).mapEmpty();
  }

  private Future<Void> writeBack(Written w) {
    return send(w).onComplete(ar -> TargetProcess.closeQuietly(w.memfd()));
  }

  private Future<Void> send(Written w) {
    Future<Void> f = sendNow(w);
    inFlight.add(f);
    f.onComplete(ar -> inFlight.remove(f));
    return f;
  }

  private Future<Void> sendNow(Written w) {
    byte[] content;
    try {
      content = read(w.memfd());
    } catch (LastErrorException e) {
      log.warn(
          "cannot read what pid {} wrote to {}: errno {}", w.pid(), w.path(), e.getErrorCode());
      return Future.failedFuture(e);
    }
    return calls
        .handle(w.pid(), new LayerRequest.WriteBack(w.path(), content))
        .compose(
            r ->
                r instanceof LayerReply.Errno e
                    ? Future.failedFuture("pod refused " + w.path() + ": errno " + e.errno())
                    : Future.<Void>succeededFuture())
        .onFailure(e -> log.warn("write-back of {} failed: {}", w.path(), e.getMessage()));
  }

  private static byte[] read(int fd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Memory buf = new Memory(65536)) {
      long offset = 0;
      while (true) {
        long n = Libc.pread(fd, buf, buf.size(), offset);
        if (n <= 0) break;
        out.write(buf.getByteArray(0, (int) n), 0, (int) n);
        offset += n;
      }
    }
    return out.toByteArray();
  }
}
