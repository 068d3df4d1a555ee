package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every validation rule: the error names the JSON path, the offending value and what is accepted.
 */
class ValidationTest {
  private static final String IN = "feature.network.incoming";

  private static ResolveResult with(String json) {
    return Resolve.json(json);
  }

  @Test
  void unknownFieldsAtEveryLevel() {
    ResolveResult r =
        with(
            "{\"target\": \"pod/p\", \"bogus\": 1, \"agent\": {\"tll\": 3},"
                + " \"feature\": {\"network\": {\"incoming\": {\"mod\": \"steal\"}}}}");
    Resolve.error(
        r, "bogus", "unknown field `bogus`; expected one of: accept_invalid_certificates");
    Resolve.error(r, "agent.tll", "unknown field `tll`; expected one of: log_level");
    Resolve.error(r, IN + ".mod", "expected one of: mode, http_filter");
    assertEquals(3, r.errors().size(), "all errors are reported together: " + r.errors());
  }

  @Test
  void wrongTypes() {
    ResolveResult r =
        with(
            "{\"telemetry\": \"yes\", \"agent\": {\"ttl\": \"30\", \"labels\": [1]},"
                + " \"feature\": {\"fs\": 3, \"network\": {\"incoming\": {\"mode\": \"grab\"}}, \"hostname\": null}}");
    assertEquals("\"yes\"", Resolve.error(r, "telemetry", "expected a boolean").value());
    Resolve.error(r, "agent.ttl", "expected an integer");
    Resolve.error(r, "agent.labels", "expected an object");
    Resolve.error(
        r,
        "feature.fs",
        "expected an object, a boolean or one of \"local\", \"localwithoverrides\", \"read\", \"write\"");
    Resolve.error(r, IN + ".mode", "expected one of \"mirror\", \"steal\", \"off\"");
    assertEquals(5, r.errors().size(), r.errors().toString());
  }

  @Test
  void notAnObject() {
    Resolve.error(with("[1, 2]"), "", "the configuration must be an object");
    Resolve.error(with("\"pod/x\""), "", "the configuration must be an object");
  }

  @Test
  void portsOutOfRange() {
    ResolveResult r =
        with(
            "{\"target\": \"pod/p\", \"feature\": {\"network\": {\"incoming\": {"
                + "\"ignore_ports\": [0, 70000], \"port_mapping\": [[1, 65536]], \"http_filter\": {\"ports\": [-1]}}}},"
                + " \"agent\": {\"ttl\": 65536}}");
    Resolve.error(r, IN + ".ignore_ports[0]", "expected an integer from 1 to 65535");
    Resolve.error(r, IN + ".ignore_ports[1]", "expected an integer from 1 to 65535");
    Resolve.error(r, IN + ".port_mapping[0]", "ports must be integers from 1 to 65535");
    Resolve.error(r, IN + ".http_filter.ports[0]", "expected an integer from 1 to 65535");
    Resolve.error(r, "agent.ttl", "from 0 to 65535");
  }

  @Test
  void ignorePortsWithPorts() {
    Resolve.error(
        with(
            "{\"target\": \"pod/p\", \"feature\": {\"network\": {\"incoming\": {\"ports\": [80], \"ignore_ports\": [81]}}}}"),
        IN + ".ports",
        "Cannot use both 'incoming.ignore_ports' and 'incoming.ports' at the same time");
  }

  @Test
  void outgoingFilterBothSidesAndBadEntries() {
    ResolveResult r =
        with(
            "{\"feature\": {\"network\": {\"outgoing\": {\"filter\": {\"remote\": [\"1.1.1.1\"],"
                + " \"local\": [\"tcp://1.1.1.0/24:1337\", \"ftp://x\", \"1.1.1.1:99999\"]}}}}}");
    Resolve.error(r, "feature.network.outgoing.filter", "mutually exclusive");
    ConfigError e =
        Resolve.error(
            r,
            "feature.network.outgoing.filter.local[1]",
            "[protocol://][name|address|subnet/mask][:port]");
    assertEquals("ftp://x", e.value());
    Resolve.error(r, "feature.network.outgoing.filter.local[2]", "invalid port '99999'");
    assertEquals(3, r.errors().size(), r.errors().toString());
  }

  @Test
  void moreThanOneHttpFilterKind() {
    Resolve.error(
        with(
            "{\"target\": \"pod/p\", \"feature\": {\"network\": {\"incoming\": {\"mode\": \"steal\","
                + " \"http_filter\": {\"header_filter\": \"a\", \"path_filter\": \"b\"}}}}}"),
        IN + ".http_filter",
        "Cannot use multiple types of HTTP filter at the same time");
  }

  @Test
  void invalidRegexesWithTheAgentsMatcher() {
    ResolveResult r =
        with(
            "{\"target\": \"pod/p\", \"feature\": {\"fs\": {\"read_only\": [\"ok\", \"(bad\"]},"
                + " \"network\": {\"incoming\": {\"mode\": \"steal\", \"http_filter\": {\"header_filter\": \"x\\\\Ky\"}},"
                + " \"outgoing\": {\"unix_streams\": \"[z\"}}}}");
    Resolve.error(r, IN + ".http_filter.header_filter", "lookbehind");
    Resolve.error(r, "feature.fs.read_only[1]", "invalid regex '(bad'");
    Resolve.error(r, "feature.network.outgoing.unix_streams[0]", "unclosed character class");
    Resolve.error(
        with(
            "{\"target\": \"pod/p\", \"feature\": {\"network\": {\"incoming\": {\"mode\": \"steal\","
                + " \"http_filter\": {\"path_filter\": \"(?(1)a|b)\"}}}}}"),
        IN + ".http_filter.path_filter",
        "conditionals");
  }

  @Test
  void duplicatePorts() {
    ResolveResult r =
        with(
            "{\"target\": \"pod/p\", \"feature\": {\"network\": {\"incoming\": {"
                + "\"port_mapping\": [[1, 2], [1, 3], [4, 3]], \"listen_ports\": [[80, 8080], [81, 8080]]}}}}");
    Resolve.error(r, IN + ".port_mapping", "'port_mapping' contains duplicate source port '1'");
    Resolve.error(r, IN + ".port_mapping", "'port_mapping' contains duplicate target port '3'");
    Resolve.error(r, IN + ".listen_ports", "'listen_ports' contains duplicate target port '8080'");
  }

  @Test
  void stealWithTargetless() {
    String msg = "Steal mode is not compatible with a targetless agent";
    Resolve.error(
        with("{\"target\": \"targetless\", \"feature\": {\"network\": {\"incoming\": \"steal\"}}}"),
        IN + ".mode",
        msg);
    Resolve.error(
        with("{\"feature\": {\"network\": {\"incoming\": \"steal\"}}}"), IN + ".mode", msg);
    // An IDE asks for the target later, so a missing one is allowed; an explicit targetless is not.
    assertTrue(
        Resolve.json(
                "{\"feature\": {\"network\": {\"incoming\": \"steal\"}}}", Map.of(), Map.of(), true)
            .ok());
    Resolve.error(
        Resolve.json(
            "{\"target\": \"targetless\", \"feature\": {\"network\": {\"incoming\": \"steal\"}}}",
            Map.of(),
            Map.of(),
            true),
        IN + ".mode",
        msg);
  }

  @Test
  void copyTargetRules() {
    Resolve.error(
        with("{\"target\": \"pod/p\", \"operator\": false, \"feature\": {\"copy_target\": true}}"),
        "feature.copy_target",
        "requires the operator");
    ConfigError targetless =
        Resolve.error(
            with("{\"target\": \"targetless\", \"feature\": {\"copy_target\": true}}"),
            "feature.copy_target",
            "not compatible with a targetless session");
    assertEquals("true", targetless.value());
    assertTrue(targetless.message().contains("specify a target"), targetless.message());
    ConfigError scaleDown =
        Resolve.error(
            with(
                "{\"target\": \"pod/p\", \"feature\": {\"copy_target\": {\"scale_down\": true},"
                    + " \"network\": {\"incoming\": \"steal\"}}}"),
            "feature.copy_target.scale_down",
            "compatible only with deployment targets, not pod/p");
    assertEquals("true", scaleDown.value());
    assertTrue(
        with("{\"target\": \"deployment/d\", \"feature\": {\"copy_target\": {\"scale_down\": true},"
                + " \"network\": {\"incoming\": \"steal\"}}}")
            .ok());
    // no target at all is targetless too (outside an IDE, which asks for one)
    Resolve.error(
        with("{\"feature\": {\"copy_target\": {\"scale_down\": true}}}"),
        "feature.copy_target",
        "not compatible with a targetless session");
    ConfigError job =
        Resolve.error(
            with("{\"target\": \"job/nightly\"}"), "target.path", "needs feature.copy_target");
    assertEquals("job/nightly", job.value());
    assertTrue(
        with("{\"target\": \"job/nightly\", \"feature\": {\"copy_target\": true, \"network\": {\"incoming\": \"steal\"}}}")
            .ok());
  }

  @Test
  void warningsForWhatHasNoEffect() {
    ResolveResult r =
        with(
            "{\"target\": \"pod/p\", \"sip_binaries\": \"bash\", \"agent\": {\"ephemeral\": true,"
                + " \"namespace\": \"x\", \"image_pull_secrets\": [{\"secret-key\": \"s\"}]},"
                + " \"feature\": {\"env\": {\"include\": \"A\", \"exclude\": \"B\"}, \"network\": {\"incoming\": {"
                + "\"http_filter\": {\"header_filter\": \"a\"}, \"port_mapping\": [[5, 5]]}}}}");
    assertTrue(r.ok(), r.errors().toString());
    Resolve.warning(r, "sip_binaries only applies on macOS");
    Resolve.warning(r, "agent.namespace is ignored for an ephemeral agent");
    Resolve.warning(r, "image_pull_secrets[0]");
    Resolve.warning(r, "included and not excluded");
    Resolve.warning(r, "http_filter is only used in steal mode");
    Resolve.warning(r, "maps port 5 to itself");
  }

  @Test
  void miscValueRules() {
    Resolve.error(with("{\"connect_tcp\": \"nohost\"}"), "connect_tcp", "expected IP:PORT");
    Resolve.error(
        with("{\"agent\": {\"image\": 5}}"), "agent.image", "expected an image reference string");
    Resolve.error(
        with("{\"agent\": {\"disabled_capabilities\": [\"CAP_KILL\"]}}"),
        "agent.disabled_capabilities[0]",
        "one of \"NET_ADMIN\", \"NET_RAW\", \"SYS_PTRACE\", \"SYS_ADMIN\"");
    Resolve.error(
        with("{\"target\": \"targetless\", \"agent\": {\"ephemeral\": true}}"),
        "agent.ephemeral",
        "needs a target");
    assertFalse(with("{\"skip_processes\": [\"a\", null]}").ok());
  }

  @Test
  void duplicateKeysInJsonAreReported() {
    Resolve.error(
        with("{\"telemetry\": true, \"telemetry\": false}"), "", "Duplicate field 'telemetry'");
  }

  @Test
  void crossFieldRulesRunEvenWhenSomeFieldsFailToBind() {
    // A type error elsewhere must not hide a conflict: the user fixes everything in one pass.
    ResolveResult r =
        with(
            "{\"target\": \"pod/p\", \"agent\": {\"ttl\": \"x\"}, \"feature\": {\"network\":"
                + " {\"incoming\": {\"ports\": [1], \"ignore_ports\": [2]}}}}");
    Resolve.error(r, "agent.ttl", "expected an integer");
    Resolve.error(r, IN + ".ports", "Cannot use both 'incoming.ignore_ports' and 'incoming.ports'");
    assertEquals(2, r.errors().size(), r.errors().toString());
  }

  @Test
  void aTargetThatFailsToBindDoesNotLookTargetless() {
    // The broken target is reported; rules that depend on the target are skipped rather than
    // complaining about a "targetless" session the user never asked for.
    ResolveResult r =
        with(
            "{\"target\": \"bear-pod\", \"agent\": {\"ephemeral\": true},"
                + " \"feature\": {\"copy_target\": true, \"network\": {\"incoming\": \"steal\"}}}");
    Resolve.error(r, "target.path", "Did you remember to add a prefix");
    assertEquals(1, r.errors().size(), r.errors().toString());
  }

  @Test
  void imagePullPolicyMustBeAKubernetesPolicy() {
    for (String ok : new String[] {"IfNotPresent", "Always", "Never"}) {
      assertTrue(with("{\"agent\": {\"image_pull_policy\": \"" + ok + "\"}}").ok(), ok);
    }
    ConfigError e =
        Resolve.error(
            with("{\"agent\": {\"image_pull_policy\": \"Sometimes\"}}"),
            "agent.image_pull_policy",
            "expected one of \"IfNotPresent\", \"Always\", \"Never\"");
    assertEquals("\"Sometimes\"", e.value());
  }

  @Test
  void proxyLogLevelWithoutDestinationIsWarned() {
    Resolve.warning(
        with("{\"internal_proxy\": {\"log_level\": \"mirrord=trace\"}}"),
        "internal_proxy.log_level is only used when internal_proxy.log_destination is set");
    assertTrue(
        with("{\"internal_proxy\": {\"log_level\": \"mirrord=trace\", \"log_destination\": \"/tmp/p.log\"}}")
            .warnings()
            .isEmpty());
  }

  @Test
  void unreadableFileIsOneReadableError() {
    ResolveResult r =
        ConfigResolver.resolve(
            ConfigSource.file(java.nio.file.Path.of("/nonexistent/mirrord.json")),
            Map.of(),
            Map.of(),
            false);
    ConfigError e = Resolve.error(r, "", "cannot read the configuration file: no such file");
    assertEquals("/nonexistent/mirrord.json", e.value());
    assertFalse(e.message().contains("java.nio"), e.message());
  }
}
