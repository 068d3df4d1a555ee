package dev.mirrordj.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code test/e2e/ACCEPTANCE.md} maps every acceptance item to the tests that prove it, as {@code
 * Class#method}. A renamed or deleted test must not leave a stale row behind: every reference must
 * name a test class in the repository that declares that method.
 */
class AcceptanceAuditTest {
  /** {@code Class#method}, or {@code #method} of the class named last in the same table cell. */
  private static final Pattern REFERENCE =
      Pattern.compile("(?<![A-Za-z0-9])([A-Z][A-Za-z0-9]*)?#([a-z][A-Za-z0-9_]*)(?![A-Za-z0-9_…])");

  @Test
  void everyClassAndMethodNamedInTheAuditExists() throws IOException {
    Path repo = repositoryRoot();
    String audit = Files.readString(repo.resolve("test/e2e/ACCEPTANCE.md"));
    Map<String, List<Path>> sources = javaSourcesByClassName(repo);
    List<String> stale = new ArrayList<>();
    int references = 0;
    for (String row : audit.split("[\n|]")) { // a table cell at a time
      Matcher m = REFERENCE.matcher(row);
      String cls = null;
      while (m.find()) {
        references++;
        cls = m.group(1) != null ? m.group(1) : cls;
        String method = m.group(2);
        if (cls == null) {
          stale.add(row + " (#" + method + " without a class before it in its cell)");
          continue;
        }
        List<Path> files = sources.get(cls);
        if (files == null) {
          stale.add(cls + "#" + method + " (no class " + cls + ")");
        } else if (files.stream().noneMatch(f -> declares(f, method))) {
          stale.add(cls + "#" + method + " (no method " + method + " in " + files + ")");
        }
      }
    }
    assertTrue(references > 50, "the audit names its tests (" + references + " found)");
    assertFalse(!stale.isEmpty(), "ACCEPTANCE.md names tests that do not exist:\n" + stale);
  }

  /** The test module runs with its own directory as working directory; the repo is two up. */
  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("test/e2e/ACCEPTANCE.md"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "repository root with test/e2e/ACCEPTANCE.md not found");
    return dir;
  }

  private static Map<String, List<Path>> javaSourcesByClassName(Path repo) throws IOException {
    Map<String, List<Path>> byName = new HashMap<>();
    try (Stream<Path> files = Files.walk(repo)) {
      files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/"))
          .filter(p -> !p.toString().contains("/target/"))
          .forEach(
              p -> {
                String name = p.getFileName().toString().replace(".java", "");
                byName.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
              });
    }
    return byName;
  }

  private static boolean declares(Path file, String method) {
    try {
      return Pattern.compile("\\b(void|[A-Za-z<>\\[\\]]+)\\s+" + Pattern.quote(method) + "\\s*\\(")
          .matcher(Files.readString(file))
          .find();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
