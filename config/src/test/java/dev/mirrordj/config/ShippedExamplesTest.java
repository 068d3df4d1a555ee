package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every configuration shipped in {@code conf/examples} (and quoted in docs/configuration.md)
 * verifies successfully, so the documentation never shows a file that the tool rejects.
 */
class ShippedExamplesTest {

  /** The repository's conf/examples, found from the module directory Maven runs the tests in. */
  static Path examplesDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("conf/examples"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "conf/examples not found above " + Path.of("").toAbsolutePath());
    return dir.resolve("conf/examples");
  }

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(examplesDir())) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static ResolveResult resolve(Path file, Map<String, String> env) {
    return ConfigResolver.resolve(ConfigSource.file(file), env, Map.of(), false);
  }

  @Test
  void everyShippedExampleVerifies() throws IOException {
    List<Path> files = examples();
    assertTrue(files.size() >= 10, "expected the documented examples, found " + files);
    for (Path file : files) {
      ResolveResult r = resolve(file, Map.of());
      assertTrue(r.ok(), file.getFileName() + " must verify, got errors: " + r.errors());
      assertTrue(
          r.warnings().isEmpty(), file.getFileName() + " should be warning-free: " + r.warnings());
    }
  }

  @Test
  void theResolvedFormIsItselfAConfigurationThatResolvesToTheSame() throws IOException {
    // docs/configuration.md promises that verify-config's "config" object can be used as a file.
    for (Path file : examples()) {
      MirrordConfig first = Resolve.ok(resolve(file, Map.of()));
      MirrordConfig again = Resolve.ok(Resolve.json(ConfigCodec.toJson(first)));
      assertEquals(first, again, file.getFileName().toString());
    }
  }

  @Test
  void everyFormatIsRepresented() throws IOException {
    List<String> names = examples().stream().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.stream().anyMatch(n -> n.endsWith(".json")), names.toString());
    assertTrue(
        names.stream().anyMatch(n -> n.endsWith(".yaml") || n.endsWith(".yml")), names.toString());
    assertTrue(names.stream().anyMatch(n -> n.endsWith(".toml")), names.toString());
  }

  @Test
  void yamlAndTomlExamplesAreTheSameConfiguration() {
    MirrordConfig yaml = Resolve.ok(resolve(examplesDir().resolve("complete.yaml"), Map.of()));
    MirrordConfig toml = Resolve.ok(resolve(examplesDir().resolve("complete.toml"), Map.of()));
    assertEquals(yaml, toml);
    assertEquals("deployment/api/container/main", yaml.target().path().orElseThrow().render());
    assertEquals(IncomingMode.STEAL, yaml.feature().network().incoming().mode());
  }

  @Test
  void templatedExampleFollowsTheEnvironment() {
    Path file = examplesDir().resolve("templated-target.json");
    MirrordConfig fallback = Resolve.ok(resolve(file, Map.of()));
    assertEquals("deployment/api", fallback.target().path().orElseThrow().render());
    assertEquals("mirrord", fallback.agent().namespace().orElseThrow());
    MirrordConfig given =
        Resolve.ok(resolve(file, Map.of("TARGET", "pod/web-0", "AGENT_NAMESPACE", "tools")));
    assertEquals("pod/web-0", given.target().path().orElseThrow().render());
    assertEquals("tools", given.agent().namespace().orElseThrow());
  }

  @Test
  void documentedFailExampleGivesTheDocumentedErrors() {
    // docs/configuration.md, "Validation": this document and these exact messages.
    ResolveResult r =
        Resolve.json(
            """
        {
          "target": "bear-pod",
          "agent": { "ttl": "30" },
          "feature": {
            "fs": "reed",
            "network": {
              "incoming": { "mode": "steal", "ports": [80], "ignore_ports": [9999] }
            }
          }
        }
        """);
    assertFalse(r.ok());
    assertEquals(
        List.of(
            "target.path: invalid target provided: 'bear-pod' is unsupported. Did you remember to add a prefix, "
                + "e.g. pod/bear-pod? "
                + TargetPathParser.ACCEPTED
                + " (got: \"bear-pod\")",
            "agent.ttl: expected an integer (got: \"30\")",
            "feature.fs.mode: expected one of \"local\", \"localwithoverrides\", \"read\", \"write\" (got: \"reed\")",
            "feature.network.incoming.ports: Cannot use both 'incoming.ignore_ports' and 'incoming.ports' at the "
                + "same time; keep one of them (got: [80])"),
        r.errors().stream().map(ConfigError::describe).toList());
  }
}
