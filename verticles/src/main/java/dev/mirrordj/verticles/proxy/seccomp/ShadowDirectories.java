package dev.mirrordj.verticles.proxy.seccomp;

import dev.mirrordj.layerbridge.msg.DirEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remote directories as real local ones: a program that opens a pod directory gets a descriptor of
 * a local directory holding one empty entry of the right type per remote entry, so getdents64 works
 * unchanged. Paths looked up through such a descriptor (openat/fstatat relative to it) are mapped
 * back to the pod directory.
 */
final class ShadowDirectories {
  private final Path root;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, String> remoteByShadow = new ConcurrentHashMap<>();

  ShadowDirectories(Path root) {
    this.root = root;
  }

  /** Builds the shadow of {@code remotePath} with these entries and returns its local path. */
  Path create(String remotePath, List<DirEntry> entries) throws SupervisorException {
    Path dir = root.resolve(Long.toString(ids.incrementAndGet()));
    try {
      Files.createDirectories(dir);
      for (DirEntry e : entries) {
        if (e.name().equals(".") || e.name().equals("..") || e.name().contains("/")) continue;
        Path p = dir.resolve(e.name());
        switch (e.type()) {
          case DirEntry.DT_DIR -> Files.createDirectory(p);
          case DirEntry.DT_LNK ->
              Files.createSymbolicLink(
                  p,
                  Path.of(
                      e.linkTarget() == null || e.linkTarget().isEmpty() ? "." : e.linkTarget()));
          default -> Files.createFile(p);
        }
      }
    } catch (IOException e) {
      throw new SupervisorException(5, "cannot build the listing of " + remotePath + ": " + e);
    }
    remoteByShadow.put(dir.toString(), remotePath);
    return dir;
  }

  /** The pod path for a local path inside a shadow directory, or null for any other path. */
  String remotePath(String local) {
    String prefix = root.toString() + "/";
    if (!local.startsWith(prefix)) return null;
    int slash = local.indexOf('/', prefix.length());
    String shadow = slash < 0 ? local : local.substring(0, slash);
    String remote = remoteByShadow.get(shadow);
    if (remote == null) return null;
    String rest = slash < 0 ? "" : local.substring(slash);
    return remote.equals("/") && !rest.isEmpty() ? rest : remote + rest;
  }
}
