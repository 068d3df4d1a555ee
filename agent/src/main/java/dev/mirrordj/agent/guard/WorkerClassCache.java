package dev.mirrordj.agent.guard;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data-sharing archive of the classes the worker JVM loads, kept in a cache directory so
 * that every worker after the first maps them instead of loading them from the fat jar (the main
 * part of its start-up). The first worker for a given jar and JVM records the archive when it exits
 * ({@code -XX:ArchiveClassesAtExit}, to a private file that is renamed into place afterwards, so a
 * reader never sees half an archive). The name hashes the JVM and every class-path entry's path,
 * size and mtime: a rebuilt jar gets a new archive. A missing or unusable archive only costs speed.
 *
 * <p>Cache directory: {@code $MIRRORDJ_CACHE_DIR}, else {@code $XDG_CACHE_HOME/mirrordj}, else
 * {@code ~/.cache/mirrordj}; {@code MIRRORDJ_AGENT_CDS=off} turns it off.
 */
public final class WorkerClassCache {

  private final Path archive;
  private final Path recording;

  private WorkerClassCache(Path archive, Path recording) {
    this.archive = archive;
    this.recording = recording;
  }

  /**
   * The cache for a worker started with {@code classPath}; disabled when no cache dir is usable.
   */
  public static WorkerClassCache forClassPath(String classPath, Map<String, String> env) {
    if ("off".equalsIgnoreCase(env.getOrDefault("MIRRORDJ_AGENT_CDS", ""))) {
      return new WorkerClassCache(null, null);
    }
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!Files.isRegularFile(Path.of(entry))) {
        return new WorkerClassCache(null, null); // CDS archives only classes from jars
      }
    }
    try {
      Path dir = cacheDir(env).resolve("cds");
      Files.createDirectories(dir);
      if (!Files.isWritable(dir)) {
        return new WorkerClassCache(null, null);
      }
      Path archive = dir.resolve("agent-worker-" + key(classPath) + ".jsa");
      Path recording =
          Files.exists(archive)
              ? null
              : dir.resolve(archive.getFileName() + ".recording-" + ProcessHandle.current().pid());
      return new WorkerClassCache(archive, recording);
    } catch (IOException | RuntimeException e) {
      log().debug("no class-data cache for the agent worker: {}", e.toString());
      return new WorkerClassCache(null, null);
    }
  }

  /** Options for the worker's command line (after the JVM's own options). */
  public List<String> jvmOptions() {
    List<String> opts = new ArrayList<>();
    if (archive == null) {
      return opts;
    }
    opts.add(
        recording == null
            ? "-XX:SharedArchiveFile=" + archive
            : "-XX:ArchiveClassesAtExit=" + recording);
    return opts;
  }

  /**
   * Whether this cache sets the worker's sharing options (otherwise the guard's own pass through).
   */
  public boolean active() {
    return archive != null;
  }

  /**
   * True for an option this cache sets itself (a copy from the guard's own command line would
   * clash).
   */
  public static boolean isSharingOption(String jvmArg) {
    return jvmArg.startsWith("-XX:SharedArchiveFile")
        || jvmArg.startsWith("-XX:ArchiveClassesAtExit")
        || jvmArg.startsWith("-Xshare");
  }

  /**
   * After the worker exited: moves a freshly recorded archive into place (or drops a failed one).
   */
  public void workerExited() {
    if (recording == null) {
      return;
    }
    try {
      if (Files.exists(recording) && Files.size(recording) > 0) {
        Files.move(
            recording,
            archive,
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        log().debug("agent worker class-data archive recorded at {}", archive);
      } else {
        Files.deleteIfExists(recording);
      }
    } catch (IOException e) {
      log().debug("could not keep the worker class-data archive: {}", e.toString());
    }
  }

  /** Looked up only when needed: the guard starts the worker before logging is initialised. */
  private static Logger log() {
    return LoggerFactory.getLogger(WorkerClassCache.class);
  }

  static Path cacheDir(Map<String, String> env) {
    String own = env.get("MIRRORDJ_CACHE_DIR");
    if (own != null && !own.isBlank()) {
      return Path.of(own);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "mirrordj");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "mirrordj");
  }

  /** Hash of the JVM and of every class-path entry's identity (path, size, mtime). */
  static String key(String classPath) throws IOException {
    StringBuilder id =
        new StringBuilder(System.getProperty("java.home"))
            .append('|')
            .append(System.getProperty("java.vm.version"));
    for (String entry : classPath.split(File.pathSeparator)) {
      Path p = Path.of(entry);
      id.append('|').append(p.toAbsolutePath());
      if (Files.isRegularFile(p)) {
        id.append(':')
            .append(Files.size(p))
            .append(':')
            .append(Files.getLastModifiedTime(p).toMillis());
      }
    }
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(id.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
