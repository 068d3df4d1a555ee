package dev.mirrordj.verticles.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.load.ConfigFormat;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From the user's configuration document to the kube package's inputs and the client config. */
class KubeConfigAdapterTest {
  @TempDir Path dir;

  private static MirrordConfig config(String json) throws Exception {
    return ConfigResolver.resolve(
            new ConfigSource.Text(json, ConfigFormat.JSON, "test"), Map.of(), Map.of(), false)
        .orThrow();
  }

  @Test
  void everyAgentFieldIsCarriedOver() throws Exception {
    MirrordConfig c =
        config(
            """
        {"target": {"path": "deployment/api/container/main", "namespace": "shop"},
         "agent": {"log_level": "debug", "json_log": true, "labels": {"user": "meow"},
           "annotations": {"cats.io/inject": "enabled"}, "namespace": "agents",
           "image": {"registry": "internal.repo/mirrordj", "tag": "7"}, "image_pull_policy": "Always",
           "image_pull_secrets": [{"name": "regcred"}], "ttl": 30, "ephemeral": false,
           "communication_timeout": 45, "startup_timeout": 360, "network_interface": "eth1",
           "flush_connections": false, "check_out_of_pods": false, "nftables": true, "privileged": true,
           "tolerations": [{"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule"}],
           "resources": {"requests": {"cpu": "5m"}, "limits": {"memory": "300Mi"}},
           "dns": {"timeout": 2, "attempts": 4}, "disabled_capabilities": ["SYS_ADMIN"]}}
        """);
    AgentLaunchRequest r = KubeConfigAdapter.request(c);
    assertEquals("deployment/api/container/main", r.target().orElseThrow().render());
    assertEquals(Optional.of("shop"), r.targetNamespace());
    AgentSettings a = r.agent();
    assertEquals("internal.repo/mirrordj:7", a.image());
    assertEquals("Always", a.imagePullPolicy());
    assertEquals(List.of("regcred"), a.imagePullSecrets());
    assertEquals(Optional.of("agents"), a.namespace());
    assertEquals(Map.of("user", "meow"), a.labels());
    assertEquals(Map.of("cats.io/inject", "enabled"), a.annotations());
    assertEquals(30, a.ttl());
    assertEquals(45, a.communicationTimeout());
    assertEquals(360, a.startupTimeout());
    assertEquals(Optional.of("eth1"), a.networkInterface());
    assertFalse(a.flushConnections());
    assertFalse(a.checkOutOfPods());
    assertEquals(Optional.of(true), a.nftables());
    assertTrue(a.privileged());
    assertEquals(
        List.of(Map.of("key", "k", "operator", "Equal", "value", "v", "effect", "NoSchedule")),
        a.tolerations());
    assertEquals(
        Map.of("requests", Map.of("cpu", "5m"), "limits", Map.of("memory", "300Mi")),
        a.resources());
    assertEquals(2, a.dnsTimeout().getAsInt());
    assertEquals(4, a.dnsAttempts().getAsInt());
    assertEquals(List.of("SYS_ADMIN"), a.disabledCapabilities());
    assertEquals("debug", a.logLevel());
    assertTrue(a.jsonLog());
  }

  @Test
  void defaultsMeanOurImageTheExistsTolerationAndTargetless() throws Exception {
    AgentLaunchRequest r = KubeConfigAdapter.request(config("{}"));
    assertTrue(r.target().isEmpty());
    assertEquals(AgentSettings.DEFAULT_IMAGE, r.agent().image());
    assertEquals(List.of(Map.of("operator", "Exists")), r.agent().tolerations());
    assertEquals(60, r.agent().startupTimeout());
    assertEquals(1, r.agent().ttl());
  }

  @Test
  void localPidTargetIsNotAKubernetesTarget() throws Exception {
    assertThrows(
        IllegalArgumentException.class,
        () -> KubeConfigAdapter.request(config("{\"target\": \"pid/42\"}")));
  }

  private Path kubeconfig() throws Exception {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        current-context: one
        clusters:
        - name: c1
          cluster: {server: "https://one.invalid:6443"}
        - name: c2
          cluster: {server: "https://two.invalid:6443"}
        contexts:
        - name: one
          context: {cluster: c1, user: u, namespace: ns-one}
        - name: two
          context: {cluster: c2, user: u, namespace: ns-two}
        users:
        - name: u
          user: {token: abc}
        """);
    return file;
  }

  @Test
  void kubeconfigAndContextChooseTheServerAndNamespace() throws Exception {
    String path = kubeconfig().toString();
    Config one =
        KubeClients.config(new KubeSettings(Optional.of(path), Optional.empty(), false, true));
    assertEquals("https://one.invalid:6443/", one.getMasterUrl());
    assertEquals("ns-one", one.getNamespace());
    assertFalse(one.isTrustCerts());
    assertEquals(2, one.getRequestRetryBackoffLimit());
    assertEquals(500, one.getRequestRetryBackoffInterval());
    Config two =
        KubeClients.config(new KubeSettings(Optional.of(path), Optional.of("two"), true, true));
    assertEquals("https://two.invalid:6443/", two.getMasterUrl());
    assertEquals("ns-two", two.getNamespace());
    assertTrue(two.isTrustCerts(), "accept_invalid_certificates");
  }

  @Test
  void automaticDiscoveryHonoursTheProxyUnlessUseProxyIsOff() throws Exception {
    // fabric8 reads HTTPS_PROXY from the environment or the https.proxy system property, and the
    // kubeconfig from KUBECONFIG or the kubeconfig system property: set the properties for this
    // test.
    System.setProperty("kubeconfig", kubeconfig().toString());
    System.setProperty("https.proxy", "http://proxy.invalid:3128");
    try {
      Config proxied =
          KubeClients.config(new KubeSettings(Optional.empty(), Optional.of("two"), false, true));
      assertEquals("https://two.invalid:6443/", proxied.getMasterUrl());
      assertEquals("http://proxy.invalid:3128", proxied.getHttpsProxy());
      Config direct =
          KubeClients.config(new KubeSettings(Optional.empty(), Optional.empty(), false, false));
      assertEquals("https://one.invalid:6443/", direct.getMasterUrl());
      assertEquals(null, direct.getHttpsProxy(), "use_proxy=false drops the proxy");
      KubeSetupException unknown =
          assertThrows(
              KubeSetupException.class,
              () ->
                  KubeClients.config(
                      new KubeSettings(Optional.empty(), Optional.of("nope"), false, true)));
      assertTrue(unknown.getMessage().contains("kube_context 'nope'"), unknown.getMessage());
    } finally {
      System.clearProperty("kubeconfig");
      System.clearProperty("https.proxy");
    }
  }

  @Test
  void missingKubeconfigAndUnknownContextAreClearErrors() throws Exception {
    KubeSetupException missing =
        assertThrows(
            KubeSetupException.class,
            () ->
                KubeClients.config(
                    new KubeSettings(
                        Optional.of("~/definitely-missing-kubeconfig"),
                        Optional.empty(),
                        false,
                        true)));
    assertTrue(
        missing.getMessage().contains("does not exist or is not readable"), missing.getMessage());
    String path = kubeconfig().toString();
    KubeSetupException unknown =
        assertThrows(
            KubeSetupException.class,
            () ->
                KubeClients.config(
                    new KubeSettings(Optional.of(path), Optional.of("three"), false, true)));
    assertTrue(unknown.getMessage().contains("three"), unknown.getMessage());
  }
}
