package dev.mirrordj.agent.session;

import dev.mirrordj.agent.fs.ErrnoException;
import dev.mirrordj.agent.fs.FileService;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.Message;

/**
 * Maps file request messages to {@link FileService} calls and their reply messages. Blocking. A new
 * file message gets its line in {@link #answer} (and its type in the file range of {@link
 * #handles}).
 */
public final class FileRequestExecutor {
  // one frame of a fetch is what a pong or another connection may have to wait behind
  private static final int FETCH_CHUNK = dev.mirrordj.protocol.Net.MAX_CHUNK;
  private static final int MIN_FETCH_CHUNK = 4096;
  // a chunk travels in one frame, with the frame's header and the chunk's own fields
  static final int MAX_FETCH_CHUNK = dev.mirrordj.protocol.Frame.MAX_LENGTH - 64;
  private final FileService fs;

  public FileRequestExecutor(FileService fs) {
    this.fs = fs;
  }

  public static boolean handles(Message m) {
    return m.type() >= 0x0100 && m.type() <= 0x017F;
  }

  /** Executes one request; replies go to {@code sink} with {@code id}. */
  public void execute(Message m, int id, ClientSink sink) {
    try {
      if (m instanceof Files.Fetch f) {
        fs.fetch(
            f.path(),
            chunkSize(f.chunkBytes()),
            (data, last) -> {
              awaitRoom(sink, id);
              sink.send(new Files.Chunk(data, last), id);
              return !sink.isClosed();
            });
        return;
      }
      sink.send(answer(m), id);
    } catch (ErrnoException e) {
      sink.send(new Control.ErrorReply(e.errno(), e.getMessage()), id);
    }
  }

  /**
   * The client's chunk size (feature.fs.readonly_file_buffer), kept between 4 KiB and what one
   * frame holds; 0 means the default.
   */
  static int chunkSize(int requested) {
    if (requested <= 0) return FETCH_CHUNK;
    return Math.max(MIN_FETCH_CHUNK, Math.min(requested, MAX_FETCH_CHUNK));
  }

  private static void awaitRoom(ClientSink sink, int id) {
    try {
      sink.awaitFetchRoom(id);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Message answer(Message m) throws ErrnoException {
    if (m instanceof Files.Open o)
      return new Files.HandleReply(fs.open(o.path(), o.flags(), o.mode()));
    if (m instanceof Files.Read r) return new Files.BytesReply(fs.read(r.fd(), r.length()));
    if (m instanceof Files.Pread r)
      return new Files.BytesReply(fs.pread(r.fd(), r.offset(), r.length()));
    if (m instanceof Files.Write w) return new Files.CountReply(fs.write(w.fd(), w.data()));
    if (m instanceof Files.Pwrite w)
      return new Files.CountReply(fs.pwrite(w.fd(), w.offset(), w.data()));
    if (m instanceof Files.Seek s)
      return new Files.CountReply(fs.seek(s.fd(), s.offset(), s.whence()));
    if (m instanceof Files.Close c) {
      fs.close(c.fd());
      return new Control.Ok();
    }
    if (m instanceof Files.Stat s) return new Files.StatReply(fs.stat(s.path(), s.follow()));
    if (m instanceof Files.Fstat s) return new Files.StatReply(fs.fstat(s.fd()));
    if (m instanceof Files.StatFs s) return new Files.FsStatReply(fs.statfs(s.path()));
    if (m instanceof Files.Access a) {
      fs.access(a.path(), a.mode());
      return new Control.Ok();
    }
    if (m instanceof Files.OpenDir d) return new Files.HandleReply(fs.openDir(d.path()));
    if (m instanceof Files.ReadDir d) return new Files.DirEntriesReply(fs.readDir(d.fd(), d.max()));
    if (m instanceof Files.ReadLink l) return new Files.PathReply(fs.readLink(l.path()));
    if (m instanceof Files.Mkdir d) {
      fs.mkdir(d.path(), d.mode());
      return new Control.Ok();
    }
    if (m instanceof Files.Rmdir d) {
      fs.rmdir(d.path());
      return new Control.Ok();
    }
    if (m instanceof Files.Unlink u) {
      fs.unlink(u.path());
      return new Control.Ok();
    }
    if (m instanceof Files.Rename r) {
      fs.rename(r.from(), r.to());
      return new Control.Ok();
    }
    if (m instanceof Files.Truncate t) {
      fs.truncate(t.path(), t.length());
      return new Control.Ok();
    }
    if (m instanceof Files.Ftruncate t) {
      fs.ftruncate(t.fd(), t.length());
      return new Control.Ok();
    }
    return new Control.ErrorReply(
        dev.mirrordj.protocol.Errno.ENOSYS, m.getClass().getSimpleName() + " is not a request");
  }
}
