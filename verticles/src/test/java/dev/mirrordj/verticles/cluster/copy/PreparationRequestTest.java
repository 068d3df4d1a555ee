package dev.mirrordj.verticles.cluster.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.load.ConfigFormat;
import dev.mirrordj.verticles.kube.TargetRef;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request read from a resolved configuration, as the operator builds it. */
class PreparationRequestTest {
  private static MirrordConfig config(String json) throws Exception {
    return ConfigResolver.resolve(
            new ConfigSource.Text(json, ConfigFormat.JSON, "<test>"), Map.of(), Map.of(), false)
        .orThrow();
  }

  @Test
  void copyTargetScaleDownNamespaceAndTimeoutComeFromTheConfiguration() throws Exception {
    PreparationRequest r =
        PreparationRequest.of(
            config(
                "{\"target\": {\"path\": \"deployment/api/container/main\", \"namespace\": \"shop\"},"
                    + " \"agent\": {\"startup_timeout\": 25},"
                    + " \"feature\": {\"copy_target\": {\"scale_down\": true},"
                    + " \"network\": {\"incoming\": \"steal\"}}}"),
            "s-1",
            "alice",
            "default");
    assertEquals(TargetRef.parse("deployment/api/container/main"), r.target());
    assertEquals("shop", r.namespace());
    assertTrue(r.copyTarget() && r.scaleDown());
    assertEquals(Duration.ofSeconds(25), r.readyTimeout());
    assertEquals("s-1", r.sessionId());
    assertEquals("alice", r.owner());
  }

  @Test
  void withoutCopyTargetAndWithoutNamespace() throws Exception {
    PreparationRequest r =
        PreparationRequest.of(config("{\"target\": \"pod/web\"}"), "s-2", "bob", "team-ns");
    assertFalse(r.copyTarget() || r.scaleDown());
    assertEquals("team-ns", r.namespace(), "the kube context's namespace");
    assertEquals(Duration.ofSeconds(60), r.readyTimeout(), "agent.startup_timeout's default");
  }

  @Test
  void aTargetlessOrLocalSessionHasNothingToPrepare() throws Exception {
    for (String target : new String[] {"targetless", "pid/4242"}) {
      UnsupportedTargetException e =
          assertThrows(
              UnsupportedTargetException.class,
              () ->
                  PreparationRequest.of(
                      config("{\"target\": \"" + target + "\"}"), "s", "u", "default"));
      assertTrue(e.getMessage().contains("has no Kubernetes object to prepare"), e.getMessage());
    }
  }
}
