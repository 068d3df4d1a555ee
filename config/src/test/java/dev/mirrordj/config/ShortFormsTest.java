package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every shortened form expands to the object form the reference describes. */
class ShortFormsTest {

  private static MirrordConfig feature(String body) {
    return Resolve.ok(
        Resolve.json(
            "{\"target\": \"pod/p\", \"feature\": " + body + "}", Map.of(), Map.of(), false));
  }

  @Test
  void env() {
    assertEquals(EnvConfig.defaults(), feature("{\"env\": true}").feature().env());
    EnvConfig off = feature("{\"env\": false}").feature().env();
    assertEquals(Optional.of(List.of("*")), off.exclude());
    assertFalse(EnvFilter.of(off).allows("ANYTHING"));
    assertEquals(
        Optional.of(List.of("A", "B")),
        feature("{\"env\": {\"include\": [\"A\", \"B\"]}}").feature().env().include());
    assertEquals(
        Optional.of(List.of("A", "B")),
        feature("{\"env\": {\"include\": \"A;B\"}}").feature().env().include());
  }

  @Test
  void fs() {
    assertEquals(FsMode.READ, feature("{\"fs\": true}").feature().fs().mode());
    assertEquals(FsMode.LOCAL, feature("{\"fs\": false}").feature().fs().mode());
    for (FsMode m : FsMode.values()) {
      assertEquals(m, feature("{\"fs\": \"" + m.wire() + "\"}").feature().fs().mode());
    }
    assertEquals(
        List.of("a", "b"), feature("{\"fs\": {\"local\": \"a;b\"}}").feature().fs().local());
  }

  @Test
  void network() {
    assertEquals(NetworkConfig.defaults(), feature("{\"network\": true}").feature().network());
    NetworkConfig off = feature("{\"network\": false}").feature().network();
    assertEquals(IncomingMode.OFF, off.incoming().mode());
    assertFalse(off.outgoing().tcp());
    assertFalse(off.outgoing().udp());
    assertFalse(off.dns().enabled());
  }

  @Test
  void incoming() {
    assertEquals(
        IncomingMode.MIRROR,
        feature("{\"network\": {\"incoming\": true}}").feature().network().incoming().mode());
    assertEquals(
        IncomingMode.OFF,
        feature("{\"network\": {\"incoming\": false}}").feature().network().incoming().mode());
    for (IncomingMode m : IncomingMode.values()) {
      assertEquals(
          m,
          feature("{\"network\": {\"incoming\": \"" + m.wire() + "\"}}")
              .feature()
              .network()
              .incoming()
              .mode());
    }
  }

  @Test
  void outgoingAndDns() {
    OutgoingConfig off =
        feature("{\"network\": {\"outgoing\": false}}").feature().network().outgoing();
    assertFalse(off.tcp());
    assertFalse(off.udp());
    assertEquals(
        OutgoingConfig.defaults(),
        feature("{\"network\": {\"outgoing\": true}}").feature().network().outgoing());
    assertFalse(feature("{\"network\": {\"dns\": false}}").feature().network().dns().enabled());
    assertTrue(
        feature("{\"network\": {\"dns\": {\"enabled\": true}}}")
            .feature()
            .network()
            .dns()
            .enabled());
    assertEquals(
        List.of("a.sock", "b"),
        feature("{\"network\": {\"outgoing\": {\"unix_streams\": \"a.sock;b\"}}}")
            .feature()
            .network()
            .outgoing()
            .unixStreams());
  }

  @Test
  void httpFilterBoolean() {
    assertEquals(
        HttpFilterConfig.defaults(),
        feature("{\"network\": {\"incoming\": {\"http_filter\": true}}}")
            .feature()
            .network()
            .incoming()
            .httpFilter());
  }

  @Test
  void copyTarget() {
    MirrordConfig on =
        Resolve.ok(
            Resolve.json(
                "{\"target\": \"pod/p\", \"operator\": true, \"feature\": {\"copy_target\": true}}"));
    assertEquals(new CopyTargetConfig(true, false), on.feature().copyTarget());
    assertEquals(
        new CopyTargetConfig(false, false),
        feature("{\"copy_target\": false}").feature().copyTarget());
    assertEquals(
        new CopyTargetConfig(false, true),
        feature("{\"copy_target\": {\"enabled\": false, \"scale_down\": true}}")
            .feature()
            .copyTarget());
  }

  @Test
  void targetForms() {
    assertEquals(
        Optional.of("ns"),
        Resolve.okJson("{\"target\": {\"path\": \"pod/a\", \"namespace\": \"ns\"}}")
            .target()
            .namespace());
    assertEquals(
        "pod/a/container/c",
        Resolve.okJson("{\"target\": {\"path\": {\"pod\": \"a\", \"container\": \"c\"}}}")
            .target()
            .path()
            .orElseThrow()
            .render());
    assertEquals(
        "deployment/d",
        Resolve.okJson("{\"target\": {\"path\": {\"deployment\": \"d\"}}}")
            .target()
            .path()
            .orElseThrow()
            .render());
    assertEquals(
        "container/c",
        Resolve.okJson("{\"target\": {\"path\": {\"container\": \"c\"}}}")
            .target()
            .path()
            .orElseThrow()
            .render());
    assertEquals(
        "pid/42",
        Resolve.okJson("{\"target\": {\"path\": {\"pid\": 42}}}")
            .target()
            .path()
            .orElseThrow()
            .render());
  }

  @Test
  void agentImageAndLists() {
    assertEquals(
        "r/i:v1",
        Resolve.okJson("{\"agent\": {\"image\": {\"registry\": \"r/i\", \"tag\": \"v1\"}}}")
            .agent()
            .image()
            .reference());
    assertEquals(
        List.of("a", "b"), Resolve.okJson("{\"skip_processes\": [\"a\", \"b\"]}").skipProcesses());
    assertEquals(
        List.of("a", "b"), Resolve.okJson("{\"skip_processes\": \"a;b\"}").skipProcesses());
    assertEquals(
        List.of(Capability.SYS_ADMIN, Capability.NET_RAW),
        Resolve.okJson("{\"agent\": {\"disabled_capabilities\": [\"SYS_ADMIN\", \"NET_RAW\"]}}")
            .agent()
            .disabledCapabilities());
    assertEquals(
        List.of(), Resolve.okJson("{\"agent\": {\"tolerations\": []}}").agent().tolerations());
  }
}
