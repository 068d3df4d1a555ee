package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The reference's basic, templating and complete examples resolve to what the reference describes.
 */
class ReferenceExamplesTest {

  private static ResolveResult file(String name, Map<String, String> env) {
    return ConfigResolver.resolve(ConfigSource.file(Resolve.resource(name)), env, Map.of(), false);
  }

  @Test
  void basicExample() {
    MirrordConfig c = Resolve.ok(file("basic.json", Map.of()));
    assertEquals(new TargetPath.Pod("bear-pod", Optional.empty()), c.target().path().orElseThrow());
    assertEquals(EnvConfig.defaults(), c.feature().env());
    assertEquals(FsMode.READ, c.feature().fs().mode());
    assertEquals(NetworkConfig.defaults(), c.feature().network());
    assertEquals(IncomingMode.MIRROR, c.feature().network().incoming().mode());
  }

  @Test
  void templatingExampleUsesTheEnvironmentVariable() {
    MirrordConfig c =
        Resolve.ok(
            file("basic-templating.json", Map.of("TARGET", "deployment/api/container/main")));
    assertEquals("deployment/api/container/main", c.target().path().orElseThrow().render());
    assertEquals(FsMode.READ, c.feature().fs().mode());
  }

  @Test
  void templatingExampleFallsBackToTheDefault() {
    MirrordConfig c = Resolve.ok(file("basic-templating.json", Map.of()));
    assertEquals("pod/fallback", c.target().path().orElseThrow().render());
  }

  @Test
  void completeExampleVerifiesWithWarnings() {
    ResolveResult r = file("complete.json", Map.of());
    MirrordConfig c = Resolve.ok(r);
    Resolve.warning(r, "include and exclude");
    Resolve.warning(r, "image_pull_secrets[0]");
    Resolve.warning(r, "sip_binaries");
    assertCompleteExample(c);
  }

  @Test
  void completeExampleInYamlAndTomlIsTheSame() {
    MirrordConfig json = Resolve.ok(file("complete.json", Map.of()));
    assertEquals(json, Resolve.ok(file("complete.yaml", Map.of())));
    assertEquals(json, Resolve.ok(file("complete.toml", Map.of())));
  }

  static void assertCompleteExample(MirrordConfig c) {
    assertFalse(c.acceptInvalidCertificates());
    assertEquals(List.of("ide-debugger"), c.skipProcesses());
    assertEquals("pod/bear-pod", c.target().path().orElseThrow().render());
    assertEquals(Optional.of("default"), c.target().namespace());
    assertEquals(Optional.empty(), c.connectTcp());
    AgentConfig a = c.agent();
    assertEquals("info", a.logLevel());
    assertFalse(a.jsonLog());
    assertEquals(Map.of("user", "meow"), a.labels());
    assertEquals(Map.of("cats.io/inject", "enabled"), a.annotations());
    assertEquals(Optional.of("default"), a.namespace());
    assertEquals("ghcr.io/metalbear-co/mirrord:latest", a.image().reference());
    assertEquals("IfNotPresent", a.imagePullPolicy());
    assertEquals(List.of(Map.of("secret-key", "secret")), a.imagePullSecrets());
    assertEquals(30, a.ttl());
    assertFalse(a.ephemeral());
    assertEquals(30, a.communicationTimeout());
    assertEquals(360, a.startupTimeout());
    assertEquals(Optional.of("eth0"), a.networkInterface());
    assertTrue(a.flushConnections());
    EnvConfig env = c.feature().env();
    assertEquals(Optional.of(List.of("DATABASE_USER", "PUBLIC_ENV")), env.include());
    assertEquals(Optional.of(List.of("DATABASE_PASSWORD", "SECRET_ENV")), env.exclude());
    assertEquals(
        Map.of("DATABASE_CONNECTION", "db://localhost:7777/my-db", "LOCAL_BEAR", "panda"),
        env.overrides());
    FsConfig fs = c.feature().fs();
    assertEquals(FsMode.WRITE, fs.mode());
    assertEquals(List.of(".+\\.json"), fs.readWrite());
    assertEquals(List.of(".+\\.yaml", ".+important-file\\.txt"), fs.readOnly());
    assertEquals(List.of(".+\\.js", ".+\\.mjs"), fs.local());
    assertEquals(List.of(), fs.notFound());
    IncomingConfig in = c.feature().network().incoming();
    assertEquals(IncomingMode.STEAL, in.mode());
    assertEquals(Optional.of("host: api\\..+"), in.httpFilter().headerFilter());
    assertEquals(Optional.empty(), in.httpFilter().pathFilter());
    assertEquals(List.of(80, 8080), in.httpFilter().ports());
    assertEquals(List.of(new PortPair(7777, 8888)), in.portMapping());
    assertFalse(in.ignoreLocalhost());
    assertEquals(List.of(9999, 10000), in.ignorePorts());
    assertEquals(Optional.empty(), in.ports());
    OutgoingConfig out = c.feature().network().outgoing();
    assertTrue(out.tcp());
    assertTrue(out.udp());
    assertEquals(
        Optional.of(List.of("tcp://1.1.1.0/24:1337", "1.1.5.0/24", "google.com", ":53")),
        out.filter().orElseThrow().local());
    assertEquals(Optional.empty(), out.filter().orElseThrow().remote());
    assertFalse(out.ignoreLocalhost());
    assertEquals(List.of("bear.+"), out.unixStreams());
    assertFalse(c.feature().network().dns().enabled());
    assertEquals(new CopyTargetConfig(true, false), c.feature().copyTarget());
    assertEquals(Optional.of(true), c.operator());
    assertEquals(Optional.of("~/.kube/config"), c.kubeconfig());
    assertEquals(List.of("bash"), c.sipBinaries());
    assertTrue(c.telemetry());
    assertEquals(Optional.of("my-cluster"), c.kubeContext());
  }
}
