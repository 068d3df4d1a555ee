package dev.mirrordj.cli.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launch document lists what to set and what to remove relative to ext's own environment. */
class IdeLaunchTest {
  @Test
  void setsWhatDiffersAndUnsetsWhatTheProgramMustNotHave() throws Exception {
    Map<String, String> local =
        Map.of("PATH", "/usr/bin", "HOME", "/root", "HTTP_PROXY", "http://proxy:3128", "A", "1");
    Map<String, String> program =
        Map.of(
            "PATH", "/usr/bin",
            "HOME", "/home/pod",
            "A", "1",
            "POD", "x",
            "LD_PRELOAD", "/cache/libmirrord_layer.so");
    var doc = new ObjectMapper().readTree(IdeLaunch.document(local, program));
    assertEquals(
        "{\"HOME\":\"/home/pod\",\"LD_PRELOAD\":\"/cache/libmirrord_layer.so\",\"POD\":\"x\"}",
        doc.get("environment").toString());
    assertEquals("[\"HTTP_PROXY\"]", doc.get("env_to_unset").toString());
    assertEquals(true, doc.get("patched_path").isNull());
    assertEquals(false, doc.get("uses_operator").asBoolean());
  }
}
