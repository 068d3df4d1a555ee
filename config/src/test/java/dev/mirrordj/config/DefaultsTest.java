package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every default, as the reference states it (mirrord's where the reference is silent). */
class DefaultsTest {
  private final MirrordConfig c = Resolve.ok(Resolve.json("{}", Map.of(), Map.of(), false));

  @Test
  void emptyDocumentAndNoDocumentAreTheDefaults() {
    assertEquals(MirrordConfig.defaultConfig(), c);
    assertEquals(
        c, Resolve.ok(ConfigResolver.resolve(ConfigSource.none(), Map.of(), Map.of(), false)));
    assertEquals(c, Resolve.okJson(""), "an empty file is an empty configuration");
  }

  @Test
  void root() {
    assertFalse(c.acceptInvalidCertificates());
    assertEquals(List.of(), c.skipProcesses());
    assertTrue(c.skipBuildTools());
    assertEquals(Optional.empty(), c.operator());
    assertTrue(c.telemetry());
    assertTrue(c.useProxy());
    assertEquals(Optional.empty(), c.connectTcp());
    assertEquals(Optional.empty(), c.kubeContext());
    assertEquals(Optional.empty(), c.kubeconfig());
    assertEquals(List.of(), c.sipBinaries());
    assertEquals(20, BuildTools.DEFAULT.size());
    assertTrue(BuildTools.skipped(c, "cargo"));
  }

  @Test
  void target() {
    assertEquals(Optional.empty(), c.target().path());
    assertTrue(c.target().isTargetless());
    assertEquals("default", c.target().effectiveNamespace());
  }

  @Test
  void agent() {
    AgentConfig a = c.agent();
    assertEquals("info", a.logLevel());
    assertFalse(a.jsonLog());
    assertEquals(Map.of(), a.labels());
    assertEquals(Map.of(), a.annotations());
    assertEquals(Optional.empty(), a.namespace());
    assertEquals("ghcr.io/metalbear-co/mirrord:latest", a.image().reference());
    assertEquals("IfNotPresent", a.imagePullPolicy());
    assertEquals(List.of(), a.imagePullSecrets());
    assertEquals(1, a.ttl());
    assertFalse(a.ephemeral());
    assertEquals(30, a.communicationTimeout());
    assertEquals(60, a.startupTimeout());
    assertEquals(Optional.empty(), a.networkInterface());
    assertTrue(a.flushConnections());
    assertTrue(a.checkOutOfPods());
    assertFalse(a.nftables());
    assertFalse(a.privileged());
    assertEquals(
        List.of(
            new Toleration(
                Optional.empty(),
                Optional.of("Exists"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty())),
        a.tolerations());
    assertEquals(Map.of("cpu", "1m", "memory", "1Mi"), a.resources().requests());
    assertEquals(Map.of("cpu", "100m", "memory", "100Mi"), a.resources().limits());
    assertEquals(new AgentDns(Optional.empty(), Optional.empty()), a.dns());
    assertEquals(List.of(), a.disabledCapabilities());
  }

  @Test
  void feature() {
    FeatureConfig f = c.feature();
    assertEquals(Optional.empty(), f.env().include());
    assertEquals(Optional.empty(), f.env().exclude());
    assertEquals(Map.of(), f.env().overrides());
    assertEquals(List.of(), f.env().unset());
    assertFalse(f.env().loadFromProcess());
    assertEquals(FsMode.READ, f.fs().mode());
    assertEquals(List.of(), f.fs().readWrite());
    assertEquals(List.of(), f.fs().readOnly());
    assertEquals(List.of(), f.fs().local());
    assertEquals(List.of(), f.fs().notFound());
    IncomingConfig in = f.network().incoming();
    assertEquals(IncomingMode.MIRROR, in.mode());
    assertEquals(Optional.empty(), in.httpFilter().headerFilter());
    assertEquals(Optional.empty(), in.httpFilter().pathFilter());
    assertEquals(List.of(80, 8080), in.httpFilter().ports());
    assertEquals(List.of(), in.portMapping());
    assertEquals(List.of(), in.listenPorts());
    assertEquals(Optional.empty(), in.ports());
    assertEquals(List.of(), in.ignorePorts());
    assertFalse(in.ignoreLocalhost());
    assertEquals(ConcurrentStealMode.ABORT, in.onConcurrentSteal());
    OutgoingConfig out = f.network().outgoing();
    assertTrue(out.tcp());
    assertTrue(out.udp());
    assertFalse(out.ignoreLocalhost());
    assertEquals(Optional.empty(), out.filter());
    assertEquals(List.of(), out.unixStreams());
    assertTrue(f.network().dns().enabled());
    assertFalse(f.copyTarget().enabled());
    assertFalse(f.copyTarget().scaleDown());
    assertTrue(f.hostname());
  }

  @Test
  void experimentalAndInternalProxy() {
    assertFalse(c.experimental().readlink());
    assertTrue(c.experimental().tcpPing4Mock());
    assertEquals(60, c.internalProxy().startIdleTimeout());
    assertEquals(5, c.internalProxy().idleTimeout());
    assertEquals(Optional.empty(), c.internalProxy().logDestination());
    assertEquals("mirrord=info,warn", c.internalProxy().logLevel());
  }
}
