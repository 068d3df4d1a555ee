package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CLI beats environment beats file beats default; MIRRORD_CONFIG_FILE and formats by extension. */
class PrecedenceTest {
  private static final String FILE =
      "{\"target\": \"pod/from-file\", \"agent\": {\"ttl\": 5},"
          + " \"feature\": {\"network\": {\"incoming\": \"mirror\"}, \"fs\": \"write\"}}";

  @Test
  void envOverridesFileAndCliOverridesEnv() {
    Map<String, String> env =
        Map.of(
            "MIRRORD_IMPERSONATED_TARGET",
            "pod/from-env",
            "MIRRORD_AGENT_TTL",
            "7",
            "MIRRORD_FILE_MODE",
            "local");
    Map<String, String> cli = Map.of("MIRRORD_IMPERSONATED_TARGET", "deployment/from-cli");
    MirrordConfig c = Resolve.ok(Resolve.json(FILE, env, cli, false));
    assertEquals("deployment/from-cli", c.target().path().orElseThrow().render());
    assertEquals(7, c.agent().ttl());
    assertEquals(FsMode.LOCAL, c.feature().fs().mode());
    MirrordConfig fileOnly = Resolve.ok(Resolve.json(FILE, Map.of(), Map.of(), false));
    assertEquals("pod/from-file", fileOnly.target().path().orElseThrow().render());
    assertEquals(5, fileOnly.agent().ttl());
  }

  @Test
  void overrideOfOneFieldKeepsTheFilesShortenedSection() {
    // File: target as a string; env: only the namespace.
    MirrordConfig c =
        Resolve.ok(Resolve.json(FILE, Map.of("MIRRORD_TARGET_NAMESPACE", "prod"), Map.of(), false));
    assertEquals("pod/from-file", c.target().path().orElseThrow().render());
    assertEquals(Optional.of("prod"), c.target().namespace());
  }

  @Test
  void everyDocumentedVariable() {
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("MIRRORD_IMPERSONATED_TARGET", "pod/p"),
            Map.entry("MIRRORD_TARGET_NAMESPACE", "tns"),
            Map.entry("MIRRORD_AGENT_TCP_STEAL_TRAFFIC", "true"),
            Map.entry("MIRRORD_FILE_MODE", "localwithoverrides"),
            Map.entry("MIRRORD_AGENT_IMAGE", "reg/agent:1"),
            Map.entry("MIRRORD_AGENT_NAMESPACE", "ans"),
            Map.entry("MIRRORD_REMOTE_DNS", "false"),
            Map.entry("MIRRORD_SKIP_PROCESSES", "a;b"),
            Map.entry("MIRRORD_OVERRIDE_ENV_VARS_INCLUDE", "X;Y_*"),
            Map.entry("MIRRORD_KUBE_CONTEXT", "ctx"),
            Map.entry("MIRRORD_ACCEPT_INVALID_CERTIFICATES", "TRUE"),
            Map.entry("MIRRORD_HTTP_HEADER_FILTER", "^x-user: me$"),
            Map.entry("MIRRORD_HTTP_FILTER_PORTS", "80;9090"),
            Map.entry("MIRRORD_AGENT_TTL", "9"),
            Map.entry("MIRRORD_AGENT_STARTUP_TIMEOUT", "120"),
            Map.entry("MIRRORD_EPHEMERAL_CONTAINER", "true"),
            Map.entry("MIRRORD_TCP_OUTGOING", "false"),
            Map.entry("MIRRORD_UDP_OUTGOING", "false"),
            Map.entry("MIRRORD_OPERATOR_ENABLE", "false"),
            Map.entry("MIRRORD_TELEMETRY", "false"),
            Map.entry("MIRRORD_AGENT_RUST_LOG", "debug"));
    ResolveResult r = Resolve.json("{}", env, Map.of(), false);
    MirrordConfig c = Resolve.ok(r);
    assertEquals("pod/p", c.target().path().orElseThrow().render());
    assertEquals(Optional.of("tns"), c.target().namespace());
    assertEquals(IncomingMode.STEAL, c.feature().network().incoming().mode());
    assertEquals(FsMode.LOCAL_WITH_OVERRIDES, c.feature().fs().mode());
    assertEquals("reg/agent:1", c.agent().image().reference());
    assertEquals(Optional.of("ans"), c.agent().namespace());
    assertFalse(c.feature().network().dns().enabled());
    assertEquals(List.of("a", "b"), c.skipProcesses());
    assertEquals(Optional.of(List.of("X", "Y_*")), c.feature().env().include());
    assertEquals(Optional.of("ctx"), c.kubeContext());
    assertTrue(c.acceptInvalidCertificates());
    assertEquals(
        Optional.of("^x-user: me$"), c.feature().network().incoming().httpFilter().headerFilter());
    assertEquals(List.of(80, 9090), c.feature().network().incoming().httpFilter().ports());
    assertEquals(9, c.agent().ttl());
    assertEquals(120, c.agent().startupTimeout());
    assertTrue(c.agent().ephemeral());
    assertFalse(c.feature().network().outgoing().tcp());
    assertFalse(c.feature().network().outgoing().udp());
    assertEquals(Optional.of(false), c.operator());
    assertFalse(c.telemetry());
    assertEquals("debug", c.agent().logLevel());
  }

  @Test
  void stealVariableAcceptsModes() {
    assertEquals(
        IncomingMode.OFF,
        Resolve.ok(
                Resolve.json(
                    "{}", Map.of("MIRRORD_AGENT_TCP_STEAL_TRAFFIC", "false"), Map.of(), false))
            .feature()
            .network()
            .incoming()
            .mode());
    assertEquals(
        IncomingMode.MIRROR,
        Resolve.ok(
                Resolve.json(
                    "{\"target\": \"pod/p\", \"feature\": {\"network\": {\"incoming\": \"steal\"}}}",
                    Map.of(),
                    Map.of("MIRRORD_AGENT_TCP_STEAL_TRAFFIC", "mirror"),
                    false))
            .feature()
            .network()
            .incoming()
            .mode());
  }

  @Test
  void invalidVariableValuesNameTheVariable() {
    ResolveResult r =
        Resolve.json(
            "{}",
            Map.of(
                "MIRRORD_AGENT_TTL",
                "soon",
                "MIRRORD_REMOTE_DNS",
                "maybe",
                "MIRRORD_FILE_MODE",
                "sideways"),
            Map.of(),
            false);
    Resolve.error(r, "agent.ttl", "invalid MIRRORD_AGENT_TTL value 'soon': expected an integer");
    Resolve.error(r, "feature.network.dns.enabled", "invalid MIRRORD_REMOTE_DNS value 'maybe'");
    Resolve.error(r, "feature.fs.mode", "expected one of \"local\"");
  }

  @Test
  void overrideThroughAnInvalidSectionLeavesTheTypeError() {
    ResolveResult r =
        Resolve.json("{\"agent\": 3}", Map.of("MIRRORD_AGENT_TTL", "4"), Map.of(), false);
    Resolve.error(r, "agent", "expected an object");
  }

  @Test
  void configFileVariableAndFormats(@TempDir Path dir) throws IOException {
    Path yaml = dir.resolve("m.yml");
    Files.writeString(yaml, "target: pod/yaml\nfeature:\n  fs: write\n");
    MirrordConfig c =
        Resolve.ok(
            ConfigResolver.resolve(
                ConfigSource.none(),
                Map.of("MIRRORD_CONFIG_FILE", yaml.toString()),
                Map.of(),
                false));
    assertEquals("pod/yaml", c.target().path().orElseThrow().render());
    assertEquals(FsMode.WRITE, c.feature().fs().mode());
    Path noExt = dir.resolve("config");
    Files.writeString(noExt, "{\"target\": \"pod/json\"}");
    assertEquals(
        "pod/json",
        Resolve.ok(ConfigResolver.resolve(ConfigSource.file(noExt), Map.of(), Map.of(), false))
            .target()
            .path()
            .orElseThrow()
            .render());
    Path toml = dir.resolve("c.toml");
    Files.writeString(toml, "target = \"pod/toml\"\n[agent]\nttl = 3\n");
    assertEquals(
        3,
        Resolve.ok(ConfigResolver.resolve(ConfigSource.file(toml), Map.of(), Map.of(), false))
            .agent()
            .ttl());
    Path bad = dir.resolve("c.ini");
    Files.writeString(bad, "x=1");
    Resolve.error(
        ConfigResolver.resolve(ConfigSource.file(bad), Map.of(), Map.of(), false),
        "",
        "invalid extension 'ini', must have one of: json, toml, yml, yaml");
    Resolve.error(
        ConfigResolver.resolve(
            ConfigSource.file(dir.resolve("missing.json")), Map.of(), Map.of(), false),
        "",
        "cannot read the configuration file");
  }

  @Test
  void stdinText() {
    MirrordConfig c =
        Resolve.ok(
            ConfigResolver.resolve(
                ConfigSource.stdin("{\"target\": \"pod/stdin\"}"), Map.of(), Map.of(), false));
    assertEquals("pod/stdin", c.target().path().orElseThrow().render());
  }

  @Test
  void errorsInOverriddenValuesSayWhereTheValueCameFrom() {
    // Without this, a bad MIRRORD_FILE_MODE sends the user looking for "feature.fs.mode" in a file.
    ResolveResult env =
        Resolve.json(
            "{\"feature\": {\"fs\": \"read\"}}",
            Map.of("MIRRORD_FILE_MODE", "bad", "MIRRORD_IMPERSONATED_TARGET", "bear-pod"),
            Map.of(),
            false);
    Resolve.error(env, "feature.fs.mode", "(set by environment variable MIRRORD_FILE_MODE)");
    Resolve.error(env, "target.path", "(set by environment variable MIRRORD_IMPERSONATED_TARGET)");
    ResolveResult cli =
        Resolve.json(
            "{}",
            Map.of("MIRRORD_IMPERSONATED_TARGET", "pod/ok"),
            Map.of("MIRRORD_IMPERSONATED_TARGET", "bear-pod"),
            false);
    Resolve.error(cli, "target.path", "(set on the command line)");
    ResolveResult file = Resolve.json("{\"feature\": {\"fs\": \"bad\"}}");
    assertFalse(file.errors().get(0).message().contains("set by"), file.errors().toString());
  }
}
