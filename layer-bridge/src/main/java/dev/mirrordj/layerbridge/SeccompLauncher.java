package dev.mirrordj.layerbridge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded seccomp launcher (the second layer, for static and Go programs): extracted once next
 * to the layer library, and asked whether this kernel supports what the supervisor needs.
 */
public final class SeccompLauncher {
  public static final String RESOURCE = "/native/mirrord-seccomp-launch";
  public static final String FILE_NAME = "mirrord-seccomp-launch";

  /** What {@code --probe} found: usable, with or without the killable wait, or why not. */
  public record Support(boolean usable, boolean killableWait, String detail) {}

  private SeccompLauncher() {}

  /** Extracts (if needed) and returns the path of the executable launcher. */
  public static Path extract(Path cacheRoot) throws IOException {
    byte[] bytes;
    try (InputStream in = SeccompLauncher.class.getResourceAsStream(RESOURCE)) {
      if (in == null)
        throw new IOException(
            "seccomp launcher " + RESOURCE + " is not in the classpath (was the C build skipped?)");
      bytes = in.readAllBytes();
    }
    Path dir = cacheRoot.resolve(sha256(bytes).substring(0, 16));
    Path target = dir.resolve(FILE_NAME);
    if (Files.isRegularFile(target)
        && Files.size(target) == bytes.length
        && Files.isExecutable(target)) return target;
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, FILE_NAME, ".part");
    try {
      Files.write(tmp, bytes);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  /** Runs {@code launcher --probe}: it installs a real listener in a throwaway child. */
  public static Support probe(Path launcher) {
    return probe(List.of(launcher.toString(), "--probe"));
  }

  /**
   * Runs the probe command as given: {@code launcher --probe}, possibly behind a wrapper that
   * changes what the process sees of the kernel (tests use {@code setarch --uname-2.6}).
   */
  public static Support probe(List<String> probeCommand) {
    try {
      Process p = new ProcessBuilder(probeCommand).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Support(false, false, "the seccomp probe did not finish");
      }
      if (p.exitValue() == 0 && out.startsWith("ok"))
        return new Support(true, out.contains("killable"), out);
      return new Support(false, false, out.isEmpty() ? "probe exit " + p.exitValue() : out);
    } catch (IOException e) {
      return new Support(false, false, "cannot run the seccomp probe: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Support(false, false, "interrupted");
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
