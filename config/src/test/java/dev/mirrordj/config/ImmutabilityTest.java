package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The resolved configuration cannot be changed by whoever receives it. */
class ImmutabilityTest {
  @Test
  void resolvedCollectionsAreUnmodifiable() {
    MirrordConfig c =
        Resolve.ok(
            ConfigResolver.resolve(
                ConfigSource.file(Resolve.resource("complete.json")), Map.of(), Map.of(), false));
    assertThrows(UnsupportedOperationException.class, () -> c.skipProcesses().add("x"));
    assertThrows(UnsupportedOperationException.class, () -> c.agent().labels().put("a", "b"));
    assertThrows(UnsupportedOperationException.class, () -> c.feature().env().overrides().clear());
    assertThrows(
        UnsupportedOperationException.class,
        () -> c.feature().env().include().orElseThrow().add("x"));
    assertThrows(
        UnsupportedOperationException.class,
        () -> c.feature().network().incoming().ignorePorts().add(1));
    assertThrows(
        UnsupportedOperationException.class,
        () -> c.agent().imagePullSecrets().get(0).put("k", "v"));
  }

  @Test
  void constructorsCopyTheirInputs() {
    List<String> patterns = new ArrayList<>(List.of("a"));
    Map<String, String> overrides = new LinkedHashMap<>(Map.of("K", "V"));
    FsConfig fs =
        new FsConfig(FsMode.READ, patterns, List.of(), List.of(), List.of(), Map.of(), 128_000);
    EnvConfig env =
        new EnvConfig(
            Optional.empty(),
            Optional.empty(),
            overrides,
            List.of(),
            false,
            Optional.empty(),
            Map.of());
    patterns.add("b");
    overrides.put("X", "Y");
    assertEquals(List.of("a"), fs.readWrite());
    assertEquals(Map.of("K", "V"), env.overrides());
  }
}
