package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resolved configuration travels to child processes and comes back identical. */
class ConfigCodecTest {

  @Test
  void completeExampleRoundTrips() throws Exception {
    MirrordConfig c =
        Resolve.ok(
            ConfigResolver.resolve(
                ConfigSource.file(Resolve.resource("complete.json")), Map.of(), Map.of(), false));
    assertEquals(c, ConfigCodec.fromJson(ConfigCodec.toJson(c)));
    assertEquals(c, ConfigCodec.decode(ConfigCodec.encode(c)));
  }

  @Test
  void defaultsAndEveryTargetKindRoundTrip() throws Exception {
    for (String target :
        new String[] {"pod/a/container/b", "deployment/d", "container/c", "pid/99", "targetless"}) {
      MirrordConfig c =
          Resolve.ok(
              Resolve.json(
                  "{\"target\": \""
                      + target
                      + "\", \"agent\": {\"dns\": {\"timeout\": 2},"
                      + " \"tolerations\": [{\"key\": \"k\", \"operator\": \"Equal\", \"tolerationSeconds\": 5}]}}",
                  Map.of(),
                  Map.of(),
                  true));
      assertEquals(c, ConfigCodec.fromJson(ConfigCodec.toJson(c)), target);
    }
    MirrordConfig d = MirrordConfig.defaultConfig();
    assertEquals(d, ConfigCodec.fromJson(ConfigCodec.toJson(d)));
  }

  @Test
  void jsonHasEveryFieldExpandedWithReferenceNames() throws Exception {
    MirrordConfig c =
        Resolve.ok(
            Resolve.json(
                "{\"target\": {\"path\": {\"pod\": \"p\"}}, \"feature\": {\"fs\": \"write\","
                    + " \"network\": {\"incoming\": \"steal\", \"dns\": false}, \"copy_target\": false}}"));
    JsonNode tree = new ObjectMapper().readTree(ConfigCodec.toJson(c));
    assertEquals("pod/p", tree.at("/target/path").textValue());
    assertTrue(tree.at("/target/namespace").isNull());
    assertEquals("write", tree.at("/feature/fs/mode").textValue());
    assertEquals("steal", tree.at("/feature/network/incoming/mode").textValue());
    assertEquals(false, tree.at("/feature/network/dns/enabled").booleanValue());
    assertEquals(false, tree.at("/feature/copy_target/enabled").booleanValue());
    assertTrue(tree.at("/feature/env/override").isObject());
    assertTrue(tree.at("/internal_proxy/start_idle_timeout").isNumber());
    assertEquals("Exists", tree.at("/agent/tolerations/0/operator").textValue());
    assertEquals(80, tree.at("/feature/network/incoming/http_filter/ports/0").intValue());
    assertTrue(tree.at("/feature/network/incoming/ports").isNull());
    assertTrue(
        tree.has("accept_invalid_certificates")
            && tree.has("skip_build_tools")
            && tree.has("operator"));
  }

  @Test
  void corruptInputIsATypedError() {
    assertThrows(InvalidConfigException.class, () -> ConfigCodec.decode("%%%"));
    assertThrows(
        InvalidConfigException.class, () -> ConfigCodec.fromJson("{\"agent\": {\"ttl\": \"x\"}}"));
    assertThrows(InvalidConfigException.class, () -> ConfigCodec.fromJson("{"));
  }
}
