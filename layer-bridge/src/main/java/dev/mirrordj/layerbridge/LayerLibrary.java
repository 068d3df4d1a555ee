package dev.mirrordj.layerbridge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The embedded libmirrord_layer.so, extracted once to {@code <cacheRoot>/<sha256 prefix>/} so that
 * concurrent sessions share one file and a new build never reuses a stale one.
 */
public final class LayerLibrary {
  public static final String RESOURCE = "/native/libmirrord_layer.so";
  public static final String FILE_NAME = "libmirrord_layer.so";

  private LayerLibrary() {}

  /** Default cache root: $XDG_CACHE_HOME/mirrordj or ~/.cache/mirrordj, else the temp dir. */
  public static Path defaultCacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "mirrordj");
    String home = System.getProperty("user.home");
    if (home != null && Files.isDirectory(Path.of(home)))
      return Path.of(home, ".cache", "mirrordj");
    return Path.of(System.getProperty("java.io.tmpdir"), "mirrordj");
  }

  /** Extracts (if needed) and returns the path of the layer library. */
  public static Path extract(Path cacheRoot) throws IOException {
    byte[] bytes;
    try (InputStream in = LayerLibrary.class.getResourceAsStream(RESOURCE)) {
      if (in == null)
        throw new IOException(
            "layer library " + RESOURCE + " is not in the classpath (was the C build skipped?)");
      bytes = in.readAllBytes();
    }
    Path dir = cacheRoot.resolve(sha256(bytes).substring(0, 16));
    Path target = dir.resolve(FILE_NAME);
    if (Files.isRegularFile(target) && Files.size(target) == bytes.length) return target;
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, FILE_NAME, ".part");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
