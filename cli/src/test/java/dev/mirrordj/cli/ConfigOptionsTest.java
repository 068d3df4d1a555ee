package dev.mirrordj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.FsMode;
import dev.mirrordj.config.IncomingMode;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.ResolveResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ConfigOptionsTest {
  @Command(name = "probe")
  static final class Probe implements Runnable {
    @Mixin ConfigOptions options;

    @Override
    public void run() {}
  }

  private static ConfigOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.options;
  }

  private static MirrordConfig resolve(ConfigOptions o, Map<String, String> env, String stdin)
      throws Exception {
    ConfigSource source =
        o.source(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    ResolveResult r = ConfigResolver.resolve(source, env, o.overrides(), false);
    assertTrue(r.ok(), r.errors().toString());
    return r.config().orElseThrow();
  }

  @Test
  void everyFlagBecomesAnOverride() throws Exception {
    ConfigOptions o =
        parse(
            "-t",
            "pod/p/container/c",
            "-n",
            "tns",
            "-a",
            "ans",
            "-i",
            "img:1",
            "--steal",
            "--fs-mode",
            "localwithoverrides",
            "--no-outgoing",
            "--no-remote-dns",
            "-x",
            "SECRET_*",
            "-s",
            "A;B",
            "--skip-processes",
            "bash;sh",
            "--context",
            "ctx",
            "-c",
            "--agent-ttl",
            "5",
            "--agent-startup-timeout",
            "90",
            "-e");
    MirrordConfig c = resolve(o, Map.of(), "");
    assertEquals("pod/p/container/c", c.target().path().orElseThrow().render());
    assertEquals(Optional.of("tns"), c.target().namespace());
    assertEquals(Optional.of("ans"), c.agent().namespace());
    assertEquals("img:1", c.agent().image().reference());
    assertEquals(IncomingMode.STEAL, c.feature().network().incoming().mode());
    assertEquals(FsMode.LOCAL_WITH_OVERRIDES, c.feature().fs().mode());
    assertFalse(c.feature().network().outgoing().tcp());
    assertFalse(c.feature().network().outgoing().udp());
    assertFalse(c.feature().network().dns().enabled());
    assertEquals(Optional.of(List.of("SECRET_*")), c.feature().env().exclude());
    assertEquals(Optional.of(List.of("A", "B")), c.feature().env().include());
    assertEquals(List.of("bash", "sh"), c.skipProcesses());
    assertEquals(Optional.of("ctx"), c.kubeContext());
    assertTrue(c.acceptInvalidCertificates());
    assertEquals(5, c.agent().ttl());
    assertEquals(90, c.agent().startupTimeout());
    assertTrue(c.agent().ephemeral());
  }

  @Test
  void singleOutgoingFlags() throws Exception {
    MirrordConfig tcp = resolve(parse("--no-tcp-outgoing"), Map.of(), "");
    assertFalse(tcp.feature().network().outgoing().tcp());
    assertTrue(tcp.feature().network().outgoing().udp());
    MirrordConfig udp = resolve(parse("--no-udp-outgoing"), Map.of(), "");
    assertTrue(udp.feature().network().outgoing().tcp());
    assertFalse(udp.feature().network().outgoing().udp());
    assertFalse(
        resolve(parse("-c", "false"), Map.of("MIRRORD_ACCEPT_INVALID_CERTIFICATES", "true"), "")
            .acceptInvalidCertificates(),
        "the flag beats the environment");
  }

  @Test
  void cliBeatsEnvBeatsFile() throws Exception {
    ConfigOptions o = parse("-f", "-", "-t", "pod/cli");
    MirrordConfig c =
        resolve(
            o,
            Map.of("MIRRORD_IMPERSONATED_TARGET", "pod/env", "MIRRORD_AGENT_TTL", "8"),
            "{\"target\": \"pod/file\", \"agent\": {\"ttl\": 3, \"log_level\": \"debug\"}}");
    assertEquals("pod/cli", c.target().path().orElseThrow().render());
    assertEquals(8, c.agent().ttl());
    assertEquals("debug", c.agent().logLevel());
  }

  @Test
  void configFileForms() throws Exception {
    assertEquals(new ConfigSource.File(Path.of(".mirrord/mirrord.json")), parse("-f").source(null));
    assertEquals(
        new ConfigSource.File(Path.of("x.yaml")), parse("--config-file", "x.yaml").source(null));
    assertEquals(new ConfigSource.None(), parse().source(null));
    assertTrue(parse().overrides().isEmpty(), "no flags, no overrides");
  }

  @Test
  void badFsModeIsAUsageError() {
    CommandLine cli = new CommandLine(new Probe());
    CliRun run = CliRun.of(cli, "--fs-mode", "sideways");
    assertEquals(2, run.exitCode());
    assertTrue(
        run.err().contains("expected one of: local, localwithoverrides, read, write"), run.err());
  }
}
