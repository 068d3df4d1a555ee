package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.Commands;
import dev.mirrordj.harness.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Builds (or finds in the cache) the images the container tests run: the agent image through the
 * project's own {@code conf/agent-image/build.sh --containerd}, and a python3 target image. Both
 * builds are cached by content, so only the first run on a machine pays for mmdebstrap.
 */
final class TestImages {
  static final Path REPO = Path.of("..", "..").toAbsolutePath().normalize();
  static final Path BUILD_SCRIPT = REPO.resolve("conf/agent-image/build.sh");

  /** What {@code build.sh} printed: the content tag, the size line, the version reference. */
  record AgentImage(String contentTag, String sizeLine, String reference, String output) {}

  private TestImages() {}

  static AgentImage agent(ContainerdDaemon containerd) {
    return agent(
        List.of(BUILD_SCRIPT.toString(), "--containerd"),
        env("CONTAINERD_ADDRESS", containerd.address()));
  }

  /** The agent image in podman's storage only. */
  static AgentImage agent() {
    return agent(List.of(BUILD_SCRIPT.toString()), null);
  }

  private static AgentImage agent(List<String> argv, Map<String, String> env) {
    ExecResult r = Commands.run(argv, env, Node.SLOW);
    if (!r.ok()) {
      throw new AssertionError(
          "build.sh failed (exit " + r.exitCode() + "):\n" + r.stderr() + r.stdout());
    }
    List<String> lines = r.stdout().lines().toList();
    String contentTag = value(lines, "content tag: ");
    String size = value(lines, "size: ");
    return new AgentImage(contentTag, size, lines.get(lines.size() - 1), r.stdout() + r.stderr());
  }

  static String target(ContainerdDaemon containerd) throws IOException {
    return target(List.of("--containerd", containerd.address()));
  }

  /** The python3 target image in podman's storage only. */
  static String target() throws IOException {
    return target(List.of());
  }

  private static String target(List<String> options) throws IOException {
    Path script = Files.createTempFile("mdj-build-target-image", ".sh");
    try (InputStream in =
        TestImages.class.getResourceAsStream("/containers/build-target-image.sh")) {
      Files.write(script, in.readAllBytes());
    }
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    try {
      ExecResult r = Commands.run(Node.argv(script.toString(), options), null, Node.SLOW);
      if (!r.ok()) {
        throw new AssertionError("target image build failed:\n" + r.stderr() + r.stdout());
      }
      List<String> lines = r.stdout().lines().toList();
      return lines.get(lines.size() - 1);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /** Imports an image podman holds into another containerd namespace, unless it is there. */
  static void copyToNamespace(ContainerdDaemon containerd, String image, String namespace)
      throws IOException {
    if (containerd.ctr(namespace, "images", "ls", "-q").stdout().lines().anyMatch(image::equals)) {
      return;
    }
    Path archive = Files.createTempFile("mdj-image-", ".tar");
    try {
      Node.check(
          Duration.ofMinutes(5),
          "podman",
          "save",
          "--format",
          "docker-archive",
          "-o",
          archive.toString(),
          image);
      Node.check(
          Duration.ofMinutes(5),
          "ctr",
          "--address",
          containerd.address(),
          "-n",
          namespace,
          "images",
          "import",
          archive.toString());
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  private static Map<String, String> env(String key, String value) {
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.put(key, value);
    return env;
  }

  private static String value(List<String> lines, String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("build.sh printed no '" + prefix + "' line: " + lines));
  }
}
