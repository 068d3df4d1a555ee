package dev.mirrordj.agent.fs;

import com.sun.jna.LastErrorException;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.sys.LibC;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One session's open handles: real fds for files, iterators for directories. Bounded, so a client
 * cannot exhaust the agent's descriptors; everything is released when the session ends.
 * Thread-safe: a session's requests on different handles run concurrently.
 */
final class HandleTable implements AutoCloseable {
  static final int MAX_HANDLES = 4096;

  sealed interface Handle permits FileHandle, DirHandle {}

  record FileHandle(int fd) implements Handle {}

  /**
   * {@code dots} holds "." and ".." until they have been listed, as readdir(3) lists them first.
   */
  record DirHandle(
      String hostPath, DirectoryStream<Path> stream, Iterator<Path> it, List<String> dots)
      implements Handle {}

  private final Map<Long, Handle> handles = new HashMap<>();
  private long next = 1;

  synchronized void checkRoom() throws ErrnoException {
    if (handles.size() >= MAX_HANDLES) {
      throw new ErrnoException(
          Errno.EMFILE, "too many open handles (" + MAX_HANDLES + ") in this session");
    }
  }

  synchronized long add(Handle h) {
    long id = next++;
    handles.put(id, h);
    return id;
  }

  synchronized Handle get(long id) throws ErrnoException {
    Handle h = handles.get(id);
    if (h == null) {
      throw new ErrnoException(Errno.EBADF, "no open handle " + id);
    }
    return h;
  }

  int fd(long id) throws ErrnoException {
    if (!(get(id) instanceof FileHandle f)) {
      throw new ErrnoException(Errno.EISDIR, "handle " + id + " is a directory");
    }
    return f.fd();
  }

  DirHandle dir(long id) throws ErrnoException {
    if (!(get(id) instanceof DirHandle d)) {
      throw new ErrnoException(Errno.ENOTDIR, "handle " + id + " is not a directory");
    }
    return d;
  }

  void remove(long id) throws ErrnoException {
    Handle h;
    synchronized (this) {
      h = handles.remove(id);
    }
    if (h == null) {
      throw new ErrnoException(Errno.EBADF, "no open handle " + id);
    }
    release(h);
  }

  synchronized int size() {
    return handles.size();
  }

  @Override
  public synchronized void close() {
    handles.values().forEach(HandleTable::release);
    handles.clear();
  }

  private static void release(Handle handle) {
    try {
      if (handle instanceof FileHandle f) {
        LibC.INSTANCE.close(f.fd());
      } else if (handle instanceof DirHandle d) {
        d.stream().close();
      }
    } catch (LastErrorException | IOException ignored) {
      // closing is best effort; the handle is gone either way
    }
  }
}
