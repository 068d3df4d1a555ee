package dev.mirrordj.e2e.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the agent image's Dockerfile declares, read from the file itself: the packages its {@code
 * apt-get install} line installs, its {@code COPY} sources and destinations, the archive its {@code
 * make-cds-archive.sh} step writes, and its {@code ENTRYPOINT}. The registry-free build must
 * produce an image holding the same things.
 */
record DockerfileContents(
    List<String> packages, List<Copy> copies, String cdsArchive, String entrypointJson) {

  record Copy(String source, String destination) {}

  private static final Pattern INSTALL =
      Pattern.compile("apt-get install -y --no-install-recommends ([^&\\n]+)");
  private static final Pattern COPY = Pattern.compile("(?m)^COPY (\\S+) (\\S+)$");
  private static final Pattern CDS =
      Pattern.compile("(?m)^RUN \\S*make-cds-archive\\.sh \\S+ (\\S+)$");
  private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT (.+)$");

  static DockerfileContents read(Path dockerfile) throws IOException {
    String text = Files.readString(dockerfile);
    // the line may continue with a backslash: only package names count
    List<String> packages =
        Arrays.stream(first(INSTALL, text, "apt-get install line").trim().split("\\s+"))
            .filter(word -> word.matches("[a-z0-9][a-z0-9.+-]+"))
            .toList();
    List<Copy> copies = new ArrayList<>();
    Matcher m = COPY.matcher(text);
    while (m.find()) {
      copies.add(new Copy(m.group(1), m.group(2)));
    }
    return new DockerfileContents(
        packages,
        copies,
        first(CDS, text, "make-cds-archive.sh step"),
        first(ENTRYPOINT, text, "ENTRYPOINT").trim());
  }

  private static String first(Pattern p, String text, String what) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new AssertionError("the Dockerfile has no " + what);
    }
    return m.group(1);
  }
}
