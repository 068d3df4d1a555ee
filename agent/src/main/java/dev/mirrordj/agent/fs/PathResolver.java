package dev.mirrordj.agent.fs;

import dev.mirrordj.protocol.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Maps a path as the target sees it to a host path under the target's root, walking it component by
 * component: {@code ..} stops at the root, and every symlink met on the way is read and followed
 * inside the root (absolute targets restart at the root). The result therefore never leaves the
 * root, whatever the path or the links in the pod say. Like the kernel, it gives up after 40 links.
 */
public final class PathResolver {
  private static final int MAX_LINKS = 40;
  private final String root;

  public PathResolver(Path root) {
    String r = root.toString();
    this.root = r.equals("/") ? "" : r;
  }

  /**
   * @param podPath absolute path in the target's view
   * @param followLast whether a symlink in the last component is followed (stat) or not (lstat)
   * @return the host path to hand to the kernel
   */
  public String resolve(String podPath, boolean followLast) throws ErrnoException {
    if (podPath.isEmpty()) {
      throw new ErrnoException(Errno.ENOENT, "empty path");
    }
    if (podPath.indexOf('\0') >= 0) {
      throw new ErrnoException(Errno.EINVAL, "path contains a NUL byte");
    }
    if (!podPath.startsWith("/")) {
      throw new ErrnoException(Errno.EINVAL, "path must be absolute, got '" + podPath + "'");
    }
    Deque<String> todo = new ArrayDeque<>();
    pushFront(todo, podPath);
    List<String> resolved = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      boolean last = todo.stream().allMatch(s -> s.isEmpty() || s.equals("."));
      Path candidate = Path.of(join(resolved) + "/" + c);
      if ((!last || followLast) && Files.isSymbolicLink(candidate)) {
        if (++links > MAX_LINKS) {
          throw new ErrnoException(Errno.ELOOP, "too many levels of symbolic links in " + podPath);
        }
        String target;
        try {
          target = Files.readSymbolicLink(candidate).toString();
        } catch (java.nio.file.AccessDeniedException e) {
          // e.g. /proc/1/root inside the pod: the program itself would get EACCES from readlink
          throw new ErrnoException(
              Errno.EACCES, "cannot read link " + candidate + ": permission denied");
        } catch (IOException e) {
          throw new ErrnoException(
              Errno.EIO, "cannot read link " + candidate + ": " + e.getMessage());
        }
        if (target.startsWith("/")) {
          resolved.clear();
        }
        pushFront(todo, target);
        continue;
      }
      resolved.add(c);
    }
    // the root itself keeps a trailing slash: lstat("/proc/<pid>/root") would see the magic link
    return resolved.isEmpty() ? root + "/" : join(resolved);
  }

  private String join(List<String> parts) {
    StringBuilder sb = new StringBuilder(root);
    for (String p : parts) {
      sb.append('/').append(p);
    }
    return sb.toString();
  }

  private static void pushFront(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.addFirst(parts[i]);
    }
  }
}
