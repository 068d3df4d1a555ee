package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every JSON snippet of the reference's sections (extracted verbatim into test resources) resolves
 * to the values its section describes. Fragments that show a section's content are placed where
 * they belong.
 */
class SnippetsTest {

  private static String snippet(int n) {
    try {
      return Files.readString(Resolve.resource(String.format("snippets/%02d.json", n)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Wraps a fragment at a dotted path: wrap("a.b", x) = {"a": {"b": x}}. */
  private static String wrap(String path, String fragment) {
    String out = fragment;
    String[] parts = path.split("\\.");
    for (int i = parts.length - 1; i >= 0; i--) {
      out = "{\"" + parts[i] + "\": " + out + "}";
    }
    return out;
  }

  private static MirrordConfig resolve(String json) {
    return Resolve.ok(Resolve.json(json, Map.of(), Map.of(), true));
  }

  @Test
  void rootSnippets() {
    assertEquals(Optional.of("10.10.0.100:7777"), resolve(snippet(3)).connectTcp());
    assertEquals(Optional.of("mycluster"), resolve(snippet(4)).kubeContext());
    assertEquals(Optional.of("~/bear/kube-config"), resolve(snippet(5)).kubeconfig());
    assertEquals(List.of("bash", "python"), resolve(snippet(6)).sipBinaries());
    assertEquals(List.of("bash", "node"), resolve(snippet(7)).skipProcesses());
  }

  @Test
  void agentSnippets() {
    AgentConfig a = resolve(snippet(8)).agent();
    assertEquals("info", a.logLevel());
    assertEquals(Optional.of("default"), a.namespace());
    assertEquals(360, a.startupTimeout());
    assertFalse(a.flushConnections());
    assertEquals(Optional.of("eth0"), a.networkInterface());
    assertTrue(resolve(snippet(9)).agent().jsonLog());
    assertEquals(
        Map.of("cats.io/inject", "enabled"),
        resolve(wrap("agent", snippet(10))).agent().annotations());
    assertEquals(
        Map.of("user", "meow", "state", "asleep"),
        resolve(wrap("agent", snippet(11))).agent().labels());
    assertEquals("mirrord=debug,warn", resolve(snippet(12)).agent().logLevel());
    assertEquals(
        List.of(Toleration.EXISTS),
        resolve(wrap("agent.tolerations", snippet(13))).agent().tolerations());
    assertEquals(
        List.of(Map.of("name", "secret-key-1"), Map.of("name", "secret-key-2")),
        resolve(snippet(14)).agent().imagePullSecrets());
    AgentImage plain = resolve(wrap("agent", snippet(15))).agent().image();
    assertEquals("internal.repo/images/mirrord:latest", plain.reference());
    AgentImage object = resolve(wrap("agent", snippet(16))).agent().image();
    assertEquals(plain, object);
    assertEquals("internal.repo/images/mirrord", object.registry());
    assertEquals("latest", object.tag());
    assertEquals(
        AgentResources.defaults(),
        resolve(wrap("agent.resources", snippet(17))).agent().resources());
  }

  @Test
  void targetSnippets() {
    MirrordConfig shortened = resolve(snippet(18));
    MirrordConfig complete = resolve(snippet(19));
    assertEquals(
        new TargetPath.Pod("bear-pod", Optional.empty()), shortened.target().path().orElseThrow());
    assertEquals(shortened.target().path(), complete.target().path());
    assertEquals(Optional.of("default"), complete.target().namespace());
    assertEquals("default", shortened.target().effectiveNamespace());
  }

  @Test
  void featureSnippet() {
    MirrordConfig c = resolve(snippet(20));
    assertEquals(Optional.of(List.of("DATABASE_USER", "PUBLIC_ENV")), c.feature().env().include());
    assertEquals(FsMode.WRITE, c.feature().fs().mode());
    assertEquals(IncomingMode.STEAL, c.feature().network().incoming().mode());
    assertFalse(c.feature().network().dns().enabled());
    assertFalse(c.feature().copyTarget().enabled());
    assertTrue(c.feature().hostname());
  }

  @Test
  void fsSnippet() {
    FsConfig fs = resolve(snippet(21)).feature().fs();
    assertEquals(FsMode.WRITE, fs.mode());
    assertEquals(List.of("\\.config/gcloud"), fs.notFound());
  }

  @Test
  void envSnippet() {
    EnvConfig env = resolve(snippet(22)).feature().env();
    assertEquals(Optional.of(List.of("DATABASE_USER", "PUBLIC_ENV", "MY_APP_*")), env.include());
    EnvFilter filter = EnvFilter.of(env);
    assertTrue(filter.allows("MY_APP_PORT"));
    assertTrue(filter.allows("PUBLIC_ENV"));
    assertFalse(filter.allows("SECRET_ENV"));
    assertFalse(filter.allows("OTHER"));
  }

  @Test
  void networkSnippets() {
    NetworkConfig n = resolve(snippet(23)).feature().network();
    assertEquals(IncomingMode.STEAL, n.incoming().mode());
    assertEquals(List.of(new PortPair(7777, 8888)), n.incoming().portMapping());
    assertEquals(IncomingMode.STEAL, resolve(snippet(24)).feature().network().incoming().mode());
    assertEquals(IncomingMode.OFF, resolve(snippet(25)).feature().network().incoming().mode());
    IncomingConfig in = resolve(snippet(26)).feature().network().incoming();
    assertEquals(List.of(new PortPair(80, 8111)), in.listenPorts());
    assertEquals(List.of(9999, 10000), in.ignorePorts());
  }

  @Test
  void httpFilterSnippets() {
    String at = "feature.network.incoming.http_filter";
    assertEquals(
        Optional.of("host: api\\..+"),
        resolve(wrap(at, snippet(27))).feature().network().incoming().httpFilter().headerFilter());
    assertEquals(
        Optional.of("^/api/"),
        resolve(wrap(at, snippet(28))).feature().network().incoming().httpFilter().pathFilter());
    assertEquals(
        Optional.of("^User-Agent: (?!kube-probe)"),
        resolve(wrap(at, snippet(29))).feature().network().incoming().httpFilter().headerFilter());
    assertEquals(
        Optional.of("^(?!/health/)"),
        resolve(wrap(at, snippet(30))).feature().network().incoming().httpFilter().pathFilter());
  }

  @Test
  void outgoingSnippets() {
    OutgoingConfig out = resolve(snippet(31)).feature().network().outgoing();
    assertEquals(List.of("bear.+"), out.unixStreams());
    String at = "feature.network.outgoing.filter";
    assertEquals(
        Optional.of(List.of("udp://1.1.1.0/24:1337")),
        resolve(wrap(at, snippet(32)))
            .feature()
            .network()
            .outgoing()
            .filter()
            .orElseThrow()
            .remote());
    assertEquals(
        Optional.of(List.of("google.com:1337", "google.com:7331")),
        resolve(wrap(at, snippet(33)))
            .feature()
            .network()
            .outgoing()
            .filter()
            .orElseThrow()
            .remote());
    assertEquals(
        Optional.of(List.of("tcp://localhost:1337")),
        resolve(wrap(at, snippet(34)))
            .feature()
            .network()
            .outgoing()
            .filter()
            .orElseThrow()
            .local());
    assertEquals(
        Optional.of(List.of(":1337", ":7331")),
        resolve(wrap(at, snippet(35)))
            .feature()
            .network()
            .outgoing()
            .filter()
            .orElseThrow()
            .local());
  }

  @Test
  void copyTargetSnippets() {
    assertEquals(new CopyTargetConfig(true, true), resolve(snippet(36)).feature().copyTarget());
    assertEquals(new CopyTargetConfig(true, false), resolve(snippet(37)).feature().copyTarget());
    assertEquals(
        new CopyTargetConfig(true, true),
        resolve(wrap("feature.copy_target", snippet(38))).feature().copyTarget());
  }

  @Test
  void internalProxySnippets() {
    assertEquals(
        new InternalProxyConfig(30, 5, Optional.empty(), "mirrord=info,warn"),
        resolve(snippet(39)).internalProxy());
    assertEquals(30, resolve(snippet(40)).internalProxy().idleTimeout());
    assertEquals(60, resolve(snippet(41)).internalProxy().startIdleTimeout());
  }
}
